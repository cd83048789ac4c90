// What AWS would say to a request before touching the data: which S3 operation it is, and
// whether the bucket's SSE-KMS setup or the backup writer's IAM policy refuses it.
import { IncomingHttpHeaders } from "node:http";

export const SSE = "x-amz-server-side-encryption";
export const SSE_KEY = "x-amz-server-side-encryption-aws-kms-key-id";

/** A request, as the proxy understands it (path-style addressing only, like the tests' rclone). */
export interface S3Call {
    operation: string;
    method: string;
    /** Path and query as sent. */
    url: string;
    bucket: string;
    key: string;
    sse?: string;
    kmsKeyId?: string;
}

/** An answer the proxy gives itself instead of forwarding. */
export interface Refusal {
    status: 400 | 403;
    code: string;
    message: string;
    kind: "violation" | "denied-delete";
}

export function classify(method: string, url: string, headers: IncomingHttpHeaders): S3Call {
    const { pathname, searchParams: q } = new URL(url, "http://proxy");
    const [, bucket = "", ...rest] = pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const call = { method, url, bucket: decodeURIComponent(bucket), key, sse: one(headers[SSE]), kmsKeyId: one(headers[SSE_KEY]) };
    return { ...call, operation: operationOf(method, call.bucket, key, q, headers) };
}

function operationOf(method: string, bucket: string, key: string, q: URLSearchParams, h: IncomingHttpHeaders): string {
    if (!bucket) return method === "GET" ? "ListBuckets" : `Service:${method}`;
    if (!key) {
        if (method === "POST" && q.has("delete")) return "DeleteObjects";
        if (method === "GET" && [...q.keys()].every((k) => LIST_PARAMS.has(k))) return "ListObjects";
        const sub = [...q.keys()].join("&");
        return `Bucket:${method}${sub ? `?${sub}` : ""}`;
    }
    const copy = h["x-amz-copy-source"] !== undefined;
    const part = q.has("uploadId") && q.has("partNumber");
    switch (method) {
        case "GET":
            return q.has("uploadId") ? "ListParts" : "GetObject";
        case "HEAD":
            return "HeadObject";
        case "PUT":
            if (part) return copy ? "UploadPartCopy" : "UploadPart";
            return copy ? "CopyObject" : "PutObject";
        case "POST":
            if (q.has("uploads")) return "CreateMultipartUpload";
            return q.has("uploadId") ? "CompleteMultipartUpload" : "Object:POST";
        case "DELETE":
            return q.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
        default:
            return `Object:${method}`;
    }
}

const LIST_PARAMS = new Set(["list-type", "prefix", "delimiter", "max-keys", "marker", "start-after", "continuation-token", "fetch-owner", "encoding-type"]);

/** Operations that create an object and so choose its encryption. */
const WRITES = new Set(["PutObject", "CopyObject", "CreateMultipartUpload"]);
/** Operations whose successful answer carries the object's SSE headers on AWS. */
export const SSE_ANSWERS = new Set(["PutObject", "CopyObject", "HeadObject", "GetObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"]);

/** Why AWS (bucket default SSE-KMS with `kmsKeyArn`, writer without s3:DeleteObject) refuses the call. */
export function refusal(call: S3Call, kmsKeyArn: string, allowDelete: boolean): Refusal | undefined {
    if (call.operation === "DeleteObject" || call.operation === "DeleteObjects") {
        if (allowDelete) return undefined;
        return { status: 403, code: "AccessDenied", message: "Access Denied (the backup writer's policy grants no s3:DeleteObject)", kind: "denied-delete" };
    }
    if (call.operation === "GetObject" || call.operation === "HeadObject") {
        // AWS decrypts transparently; SSE-KMS headers on a read are a client bug it refuses.
        if (call.sse === undefined && call.kmsKeyId === undefined) return undefined;
        return invalid(`${SSE} and ${SSE_KEY} are not supported for ${call.operation} (the key is taken from the object)`);
    }
    if (!WRITES.has(call.operation)) return undefined;
    return writeRefusal(call, kmsKeyArn);
}

function writeRefusal(call: S3Call, kmsKeyArn: string): Refusal | undefined {
    // No SSE header at all: the bucket default applies, which is the CMK. Legal and right.
    if (call.sse === undefined) {
        if (call.kmsKeyId === undefined) return undefined;
        return invalid(`Server Side Encryption with AWS KMS managed key requires HTTP header ${SSE}: aws:kms`);
    }
    if (call.sse !== "aws:kms") {
        return invalid(`${SSE}: ${call.sse} would encrypt the object with ${call.sse} instead of the bucket's CMK ${kmsKeyArn}`);
    }
    if (call.kmsKeyId === undefined) {
        // What AWS actually does here is succeed, silently using the aws/s3 managed key.
        return invalid(
            `${SSE}: aws:kms without ${SSE_KEY}: the object would be encrypted with the aws/s3 managed key instead of the bucket's CMK ${kmsKeyArn}`,
        );
    }
    if (call.kmsKeyId !== kmsKeyArn) {
        return {
            status: 400,
            code: "KMS.NotFoundException",
            message: `${SSE_KEY}: ${call.kmsKeyId} is not the bucket's CMK ${kmsKeyArn}: the object would be encrypted with another key`,
            kind: "violation",
        };
    }
    return undefined;
}

const invalid = (message: string): Refusal => ({ status: 400, code: "InvalidArgument", message, kind: "violation" });

/** The keys a DeleteObjects body names (S3 XML, entities decoded). */
export function keysToDelete(xml: string): string[] {
    return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeXml(m[1]));
}

export function errorXml(code: string, message: string, resource: string): string {
    return (
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${encodeXml(message)}</Message>` +
        `<Resource>${encodeXml(resource)}</Resource><RequestId>aws-s3-proxy</RequestId></Error>`
    );
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decodeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]);
const encodeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(",") : v);
