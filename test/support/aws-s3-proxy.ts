// The reverse proxy in front of s3rver that makes it answer like AWS S3 for a bucket with
// default SSE-KMS: refuses what AWS (plus the writer's IAM policy) would refuse, swaps ETags
// for non-MD5 stand-ins, adds the SSE headers. Bodies are piped untouched (objects can be tens
// of MB; aws-chunked or not, s3rver never checks SigV4) except the small XML documents that
// carry ETags.
import { createServer, Agent, IncomingMessage, OutgoingHttpHeaders, request, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { pipeline } from "node:stream";
import { EtagMap, rewriteXmlEtags } from "./aws-s3-etags";
import { classify, errorXml, keysToDelete, refusal, S3Call, SSE, SSE_ANSWERS, SSE_KEY } from "./aws-s3-rules";

/** One request the proxy received, with the SSE headers the client sent. */
export interface AwsS3Request {
    method: string;
    /** Path and query as sent. */
    path: string;
    operation: string;
    bucket: string;
    key: string;
    sse?: string;
    kmsKeyId?: string;
    /** The status the client got (set when the answer is sent). */
    status?: number;
}

export interface ProxyState {
    readonly kmsKeyArn: string;
    readonly allowDelete: boolean;
    readonly etags: EtagMap;
    readonly violations: string[];
    readonly deniedDeletes: string[];
    readonly requests: AwsS3Request[];
}

export interface Proxy {
    readonly endpoint: string;
    close(): Promise<void>;
}

/** Responses whose XML body holds ETags to swap. */
const XML_WITH_ETAGS = new Set(["ListObjects", "CopyObject", "UploadPartCopy", "CompleteMultipartUpload", "ListParts"]);
/** Request headers that name ETags the client got from us. */
const CONDITIONAL = ["if-match", "if-none-match", "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match"];
/** Per-hop headers: each side of the proxy has its own connection (and the proxy answers Expect itself). */
const HOP_BY_HOP = ["connection", "keep-alive", "expect", "transfer-encoding", "te", "trailer", "upgrade"];

export async function startProxy(upstreamPort: number, state: ProxyState): Promise<Proxy> {
    const agent = new Agent({ keepAlive: true });
    const handler = (expectsContinue: boolean) => (req: IncomingMessage, res: ServerResponse) => {
        handle(req, res, expectsContinue, { state, agent, upstreamPort }).catch((e: Error) => fail(res, e));
    };
    const server = createServer(handler(false));
    // Like AWS, refuse before the client sends a body it announced with Expect: 100-continue.
    server.on("checkContinue", handler(true));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        async close() {
            server.closeAllConnections();
            await new Promise((done) => server.close(done));
            agent.destroy();
        },
    };
}

interface Context {
    state: ProxyState;
    agent: Agent;
    upstreamPort: number;
}

async function handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean, ctx: Context): Promise<void> {
    const { state } = ctx;
    const call = classify(req.method ?? "GET", req.url ?? "/", req.headers);
    const record: AwsS3Request = {
        method: call.method,
        path: call.url,
        operation: call.operation,
        bucket: call.bucket,
        key: call.key,
        sse: call.sse,
        kmsKeyId: call.kmsKeyId,
    };
    state.requests.push(record);
    res.on("finish", () => (record.status = res.statusCode));

    const refused = refusal(call, state.kmsKeyArn, state.allowDelete);
    if (refused?.kind === "violation") {
        state.violations.push(`${call.operation} ${call.bucket}/${call.key}: ${refused.message}`);
        return reject(req, res, refused.status, refused.code, refused.message, call);
    }
    if (expectsContinue) res.writeContinue();
    if (refused) {
        const keys = call.operation === "DeleteObjects" ? keysToDelete((await readAll(req)).toString()) : [call.key];
        state.deniedDeletes.push(...keys);
        return reject(req, res, refused.status, refused.code, refused.message, call);
    }
    await forward(req, res, call, ctx);
}

async function forward(req: IncomingMessage, res: ServerResponse, call: S3Call, ctx: Context): Promise<void> {
    const { etags } = ctx.state;
    const headers = copyHeaders(req.headers);
    for (const name of CONDITIONAL) {
        if (typeof headers[name] === "string") headers[name] = etags.headerToReal(headers[name] as string);
    }
    // The client lists the part ETags we gave it: s3rver needs its own back.
    let body: Buffer | undefined;
    if (call.operation === "CompleteMultipartUpload") {
        const xml = (await readAll(req)).toString();
        body = Buffer.from(rewriteXmlEtags(xml, (e) => etags.toReal(e)));
        setBodyHeaders(headers, body);
    }
    const parts = body ? (body.toString().match(/<Part>/g) ?? []).length : 0;
    const up = request({ host: "127.0.0.1", port: ctx.upstreamPort, method: call.method, path: call.url, headers, agent: ctx.agent }, (upRes) =>
        answer(upRes, res, call, ctx.state, parts).catch((e: Error) => fail(res, e)),
    );
    up.on("error", (e) => fail(res, e));
    if (body) up.end(body);
    else pipeline(req, up, () => undefined);
}

async function answer(upRes: IncomingMessage, res: ServerResponse, call: S3Call, state: ProxyState, parts: number): Promise<void> {
    const status = upRes.statusCode ?? 502;
    const ok = status >= 200 && status < 300;
    const headers = copyHeaders(upRes.headers);
    if (ok && SSE_ANSWERS.has(call.operation)) {
        headers[SSE] = "aws:kms";
        headers[SSE_KEY] = state.kmsKeyArn;
        headers["x-amz-server-side-encryption-bucket-key-enabled"] = "true";
    }
    const rewrite = ok && XML_WITH_ETAGS.has(call.operation) && !upRes.headers["content-encoding"];
    if (!rewrite) {
        if (typeof headers.etag === "string") headers.etag = state.etags.toFake(headers.etag);
        res.writeHead(status, headers);
        pipeline(upRes, res, () => undefined);
        return;
    }
    let xml = (await readAll(upRes)).toString();
    if (call.operation === "CompleteMultipartUpload") {
        // s3rver's ETag for the assembled object is its plain MD5: AWS's ends in "-<parts>".
        const real = /<ETag>([^<]*)<\/ETag>/.exec(xml)?.[1];
        if (real) state.etags.markMultipart(real, parts);
    }
    xml = rewriteXmlEtags(xml, (e) => state.etags.toFake(e));
    const body = Buffer.from(xml);
    setBodyHeaders(headers, body);
    res.writeHead(status, headers).end(body);
}

/** Answers with an S3 error document; the request body, if any, is drained and dropped. */
function reject(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, call: S3Call): void {
    req.resume();
    const body = Buffer.from(errorXml(code, message, `/${call.bucket}/${call.key}`));
    res.writeHead(status, { "content-type": "application/xml", "content-length": body.length }).end(body);
}

function fail(res: ServerResponse, e: Error): void {
    if (!res.headersSent) {
        const body = errorXml("InternalError", `aws-s3 proxy: ${e.message}`, "");
        res.writeHead(500, { "content-type": "application/xml" }).end(body);
    } else {
        res.destroy(e);
    }
}

/** All end-to-end headers, values untouched (x-amz-meta-*, signatures, content-length…). */
function copyHeaders(from: IncomingMessage["headers"]): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(from)) {
        if (value !== undefined && !HOP_BY_HOP.includes(name)) headers[name] = value;
    }
    return headers;
}

/** After rewriting a body, every header describing it must describe the new one. */
function setBodyHeaders(headers: OutgoingHttpHeaders, body: Buffer): void {
    headers["content-length"] = body.length;
    if (headers["content-md5"] !== undefined) headers["content-md5"] = createHash("md5").update(body).digest("base64");
    if (/^[0-9a-f]{64}$/.test(String(headers["x-amz-content-sha256"] ?? ""))) {
        headers["x-amz-content-sha256"] = createHash("sha256").update(body).digest("hex");
    }
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
}
