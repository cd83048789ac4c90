// test/support/aws-s3.ts driven by real rclone: the AWS-like endpoint (bucket default SSE-KMS,
// writer without s3:DeleteObject) shows why the destination remote needs
// server_side_encryption = aws:kms AND sse_kms_key_id, and that with both, single-part and
// multipart uploads verify, re-copies send nothing and downloads verify.
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { describeRun, requireRclone, runRclone, s3RemoteEnv, ScriptResult } from "../support/rclone";

const BUCKET = "cold";
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

describe("AWS-like S3 endpoint (SSE-KMS bucket) with real rclone", function () {
    let aws: AwsS3;
    let dir: string;
    let env: Record<string, string>;

    /** One rclone remote on the proxy; never creates the bucket, as the scripts' `dest`. */
    const remote = (name: string, options: Record<string, string> = {}): Record<string, string> => {
        const entries = Object.entries({ no_check_bucket: "true", ...options });
        const prefix = `RCLONE_CONFIG_${name.toUpperCase()}_`;
        return { ...s3RemoteEnv(name, { ...aws, storeEndpoint: undefined }), ...Object.fromEntries(entries.map(([k, v]) => [prefix + k.toUpperCase(), v])) };
    };
    const run = (...args: string[]) => runRclone(args, env);
    /** rclone's log for a failed expectation; -vv prints the secret key, which never goes out. */
    const explain = (r: ScriptResult) => describeRun({ ...r, stderr: r.stderr.split(aws.secretAccessKey).join("[secret]") });
    /** Writes one file into local directory `sub` (of the temp dir) and returns that directory. */
    const localFile = async (sub: string, name: string, body: Buffer) => {
        await mkdir(join(dir, sub), { recursive: true });
        await writeFile(join(dir, sub, name), body);
        return join(dir, sub);
    };
    const head = (key: string) => fetch(`${aws.endpoint}/${BUCKET}/${key}`, { method: "HEAD" });
    const requestsSince = (n: number, operation: string) => aws.requests.slice(n).filter((r) => r.operation === operation);

    before(async function () {
        requireRclone();
        aws = await startAwsS3([BUCKET]);
        dir = await mkdtemp(join(tmpdir(), "qalita-dr-aws-s3-"));
        const kms = { server_side_encryption: "aws:kms", sse_kms_key_id: aws.kmsKeyArn };
        env = {
            ...remote("plain"),
            ...remote("kms", kms),
            ...remote("kmsbig", { ...kms, upload_cutoff: "5M", chunk_size: "5M" }),
            ...remote("nokey", { server_side_encryption: "aws:kms" }),
        };
    });

    after(async function () {
        await aws?.stop();
        if (dir) await rm(dir, { recursive: true, force: true });
    });

    afterEach(function () {
        assert.deepEqual(aws.violations, [], "a write would not have used the bucket's CMK");
        assert.deepEqual(aws.deniedDeletes, [], "something tried to delete");
    });

    it("without server_side_encryption rclone takes the ETag for an MD5: the copy fails, its clean-up delete is denied", async function () {
        const body = Buffer.from("pg_dump of qalita\n");
        const r = await run("copy", await localFile("plain", "small.dump", body), `plain:${BUCKET}/plain`, "--retries", "1");
        assert.notEqual(r.code, 0, explain(r));
        // rclone 1.60: `corrupted on transfer: md5 hash differ "<local MD5>" vs "<ETag>"`.
        assert.match(r.stderr, new RegExp(`corrupted on transfer: md5 hash differ "${md5(body)}" vs "[0-9a-f]{32}"`), explain(r));
        // The bytes did land; rclone's attempt to remove its "corrupted" copy is what AWS refuses.
        assert.ok((await aws.object(BUCKET, "plain/small.dump")).equals(body));
        assert.deepEqual(aws.deniedDeletes.splice(0), ["plain/small.dump"]);
    });

    it("with aws:kms and the CMK a small file verifies, lands byte-identical and is not sent again", async function () {
        const body = Buffer.from("pg_dump of qalita, encrypted with the CMK\n");
        const src = await localFile("kms", "small.dump", body);
        const start = aws.requests.length;
        const r = await run("copy", src, `kms:${BUCKET}/kms`);
        assert.equal(r.code, 0, explain(r));
        assert.ok((await aws.object(BUCKET, "kms/small.dump")).equals(body));
        const [put, ...more] = requestsSince(start, "PutObject");
        assert.deepEqual([put.sse, put.kmsKeyId, more.length], ["aws:kms", aws.kmsKeyArn, 0]);

        const h = await head("kms/small.dump");
        assert.equal(h.headers.get("x-amz-meta-md5chksum"), createHash("md5").update(body).digest("base64"));
        assert.notEqual(h.headers.get("etag"), `"${md5(body)}"`);
        assert.equal(h.headers.get("x-amz-server-side-encryption-aws-kms-key-id"), aws.kmsKeyArn);

        const again = aws.requests.length;
        const r2 = await run("copy", "--checksum", src, `kms:${BUCKET}/kms`);
        assert.equal(r2.code, 0, explain(r2));
        assert.deepEqual(
            aws.requests.slice(again).filter((q) => q.method === "PUT"),
            [],
        );

        const check = await run("check", src, `kms:${BUCKET}/kms`);
        assert.equal(check.code, 0, explain(check));
        assert.match(check.stderr, /0 differences found/, explain(check));
        assert.match(check.stderr, /1 matching files/, explain(check));

        const down = join(dir, "kms-down");
        const d = await run("copy", `kms:${BUCKET}/kms`, down, "-vv");
        assert.equal(d.code, 0, explain(d));
        assert.match(d.stderr, new RegExp(`small.dump: md5 = ${md5(body)} OK`), explain(d));
        assert.ok((await readFile(join(down, "small.dump"))).equals(body));
    });

    it("with aws:kms and the CMK a multipart upload verifies, lands byte-identical, ETag <hex>-<parts>", async function () {
        const body = randomBytes(12 * 1024 * 1024);
        const src = await localFile("big", "base.tar", body);
        const start = aws.requests.length;
        const r = await run("copy", src, `kmsbig:${BUCKET}/big`);
        assert.equal(r.code, 0, explain(r));
        assert.ok((await aws.object(BUCKET, "big/base.tar")).equals(body));
        const [create] = requestsSince(start, "CreateMultipartUpload");
        assert.deepEqual([create.sse, create.kmsKeyId], ["aws:kms", aws.kmsKeyArn]);
        assert.equal(requestsSince(start, "UploadPart").length, 3);

        const h = await head("big/base.tar");
        assert.match(h.headers.get("etag") ?? "", /^"[0-9a-f]{32}-3"$/);
        assert.equal(h.headers.get("x-amz-meta-md5chksum"), createHash("md5").update(body).digest("base64"));

        const check = await run("check", src, `kmsbig:${BUCKET}/big`);
        assert.equal(check.code, 0, explain(check));
        assert.match(check.stderr, /1 matching files/, explain(check));
    });

    it("aws:kms without sse_kms_key_id (the aws/s3 managed key) is refused and recorded", async function () {
        const r = await run("copy", await localFile("nokey", "small.dump", Buffer.from("x")), `nokey:${BUCKET}/nokey`, "--retries", "1");
        assert.notEqual(r.code, 0, explain(r));
        assert.match(r.stderr, /aws\/s3 managed key/, explain(r));
        const violations = aws.violations.splice(0);
        assert.equal(violations.length, 1, violations.join("\n"));
        assert.match(violations[0], /^PutObject cold\/nokey\/small\.dump: .*aws\/s3 managed key/);
        assert.deepEqual(await aws.keys(BUCKET).then((keys) => keys.filter((k) => k.startsWith("nokey/"))), []);
    });

    it("lists ETags that are never the content MD5: only md5chksum metadata gives rclone the MD5", async function () {
        const body = Buffer.from("listed\n");
        const c = await run("copy", await localFile("list", "a.dump", body), `kms:${BUCKET}/list`);
        assert.equal(c.code, 0, explain(c));

        // Without modtime (X-Amz-Meta-Mtime) and mime type, rclone needs no HEAD: the listing speaks.
        const lsjson = async (remote: string) => {
            const start = aws.requests.length;
            const r = await run("lsjson", "--hash", "--no-modtime", "--no-mimetype", `${remote}:${BUCKET}/list`);
            assert.equal(r.code, 0, explain(r));
            // (rclone first HEADs the root, in case it names a file.)
            const heads = requestsSince(start, "HeadObject")
                .map((q) => q.key)
                .filter((k) => k !== "list");
            return { md5: JSON.parse(r.stdout)[0].Hashes.md5 as string, heads };
        };
        // A remote not told about SSE-KMS takes the listed ETag for the MD5: wrong.
        const plain = await lsjson("plain");
        assert.match(plain.md5, /^[0-9a-f]{32}$/);
        assert.notEqual(plain.md5, md5(body));
        assert.deepEqual(plain.heads, []);
        // An SSE-KMS remote ignores ETags and HEADs the object for its X-Amz-Meta-Md5chksum.
        assert.deepEqual(await lsjson("kms"), { md5: md5(body), heads: ["list/a.dump"] });

        // Raw ListObjectsV2, every object in the bucket.
        const xml = await (await fetch(`${aws.endpoint}/${BUCKET}?list-type=2`)).text();
        const listed = [...xml.matchAll(/<Key>([^<]*)<\/Key>.*?<ETag>([^<]*)<\/ETag>/gs)];
        assert.deepEqual(
            listed.map((m) => m[1]),
            await aws.keys(BUCKET),
        );
        for (const [, key, etag] of listed) {
            const content = md5(await aws.object(BUCKET, key));
            assert.ok(!etag.includes(content), `${key}: listed ETag ${etag} is its MD5`);
        }
    });

    it("refuses SSE headers on reads and the writer's deletes, maps its ETags back in conditions", async function () {
        await aws.putObject(BUCKET, "rules/x", Buffer.from("x"));
        const url = `${aws.endpoint}/${BUCKET}/rules/x`;
        const read = await fetch(url, { method: "HEAD", headers: { "x-amz-server-side-encryption": "aws:kms" } });
        assert.equal(read.status, 400);
        assert.match(aws.violations.splice(0).join("\n"), /^HeadObject cold\/rules\/x: /);

        const etag = (await head("rules/x")).headers.get("etag") ?? "";
        assert.equal((await fetch(url, { headers: { "if-none-match": etag } })).status, 304);

        const del = await fetch(url, { method: "DELETE" });
        assert.equal(del.status, 403);
        assert.match(await del.text(), /<Code>AccessDenied<\/Code>/);
        const body = "<Delete><Object><Key>rules/x</Key></Object><Object><Key>a&amp;b</Key></Object></Delete>";
        assert.equal((await fetch(`${aws.endpoint}/${BUCKET}?delete`, { method: "POST", body })).status, 403);
        assert.deepEqual(aws.deniedDeletes.splice(0), ["rules/x", "rules/x", "a&b"]);
        assert.ok(aws.events.every((e) => e.kind === "created"));

        const open = await startAwsS3([BUCKET], { allowDelete: true });
        try {
            await open.putObject(BUCKET, "rules/x", Buffer.from("x"));
            assert.equal((await fetch(`${open.endpoint}/${BUCKET}/rules/x`, { method: "DELETE" })).status, 204);
            assert.deepEqual([await open.keys(BUCKET), open.deniedDeletes], [[], []]);
        } finally {
            await open.stop();
        }
    });
});
