// ETags as AWS S3 returns them for SSE-KMS objects: 32 lowercase hex chars (plus "-<parts>"
// after a multipart upload) that are NOT the content's MD5. s3rver's ETags are always the MD5
// of the whole object, which would let rclone "verify" uploads that real AWS never lets it
// verify; so the proxy hands out stand-ins and maps them back when a client returns them.
import { createHash } from "node:crypto";

const S3RVER_ETAG = /^[0-9a-f]{32}$/;

export class EtagMap {
    /** stand-in → s3rver's ETag (both bare, without quotes). */
    private readonly realOf = new Map<string, string>();
    /** s3rver ETag (= content MD5) → number of parts, for objects made by multipart upload. */
    private readonly partsOf = new Map<string, number>();

    /**
     * The stand-in for one of s3rver's ETags, quoting kept as given. Deterministic: md5("kms:" +
     * real). s3rver gives a multipart object its plain content MD5, so the part count AWS appends
     * comes from what the proxy saw complete (keyed by content, so identical bytes uploaded
     * both ways would share the suffix: no test needs that).
     */
    toFake(etag: string): string {
        return requote(etag, (bare) => {
            if (!S3RVER_ETAG.test(bare)) return bare;
            const parts = this.partsOf.get(bare);
            const fake = md5(`kms:${bare}`) + (parts === undefined ? "" : `-${parts}`);
            this.realOf.set(fake, bare);
            return fake;
        });
    }

    /** s3rver's ETag for a stand-in (anything unknown passes unchanged). */
    toReal(etag: string): string {
        return requote(etag, (bare) => this.realOf.get(bare) ?? bare);
    }

    /** Remembers that the object with this (s3rver) ETag was assembled from `parts` parts. */
    markMultipart(realEtag: string, parts: number): void {
        requote(realEtag, (bare) => {
            this.partsOf.set(bare, parts);
            return bare;
        });
    }

    /** If-Match and friends may list several ETags. */
    headerToReal(value: string): string {
        return value
            .split(",")
            .map((v) => this.toReal(v.trim()))
            .join(", ");
    }
}

/** Rewrites the text of every <ETag> element of an S3 XML document. */
export function rewriteXmlEtags(xml: string, map: (etag: string) => string): string {
    return xml.replace(/<ETag>([^<]*)<\/ETag>/g, (_, value: string) => `<ETag>${map(value)}</ETag>`);
}

/** Applies f to an ETag's bare value, keeping its quotes ("…" or &quot;…&quot;) as they were. */
function requote(etag: string, f: (bare: string) => string): string {
    const m = /^(&quot;|")?(.*?)(&quot;|")?$/s.exec(etag.trim());
    if (!m) return etag;
    return (m[1] ?? "") + f(m[2]) + (m[3] ?? "");
}

export const md5 = (data: string | Buffer): string => createHash("md5").update(data).digest("hex");
