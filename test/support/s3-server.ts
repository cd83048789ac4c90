// A real S3 API for integration tests: s3rver on loopback, random port, throwaway directory.
// Tests read the store's files directly so they check what actually landed, not what rclone says.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

/** s3rver ships no types; this is the part of its API the tests use. */
interface S3rverInstance {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    on(event: "event", listener: (e: { Records: S3EventRecord[] }) => void): void;
    store: { putBucket(name: string): Promise<unknown> };
}
type S3rverCtor = new (options: Record<string, unknown>) => S3rverInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as S3rverCtor;

interface S3EventRecord {
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string } };
}

/** One object-level write or delete seen by the server. */
export interface S3ObjectEvent {
    kind: "created" | "removed";
    bucket: string;
    key: string;
}

export interface S3Server {
    readonly endpoint: string;
    /** Root of the store on disk: every byte the server holds is under it. */
    readonly dir: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    /** Every PUT/POST/COPY/DELETE of an object since start, in order. */
    readonly events: S3ObjectEvent[];
    createBucket(name: string): Promise<void>;
    /** Keys of the objects in a bucket, sorted, read from the store on disk. */
    keys(bucket: string): Promise<string[]>;
    object(bucket: string, key: string): Promise<Buffer>;
    stop(): Promise<void>;
}

// s3rver's fixed credentials: it checks signatures against these.
const ACCESS_KEY = "S3RVER";
const OBJECT_SUFFIX = "._S3rver_object";

export async function startS3Server(buckets: string[] = []): Promise<S3Server> {
    const dir = await mkdtemp(join(tmpdir(), "qalita-dr-s3-"));
    const server = new S3rver({
        address: "127.0.0.1",
        port: 0,
        silent: true,
        directory: dir,
        configureBuckets: buckets.map((name) => ({ name })),
        // Path-style only, as rclone is configured (force_path_style).
        vhostBuckets: false,
    });
    const events: S3ObjectEvent[] = [];
    server.on("event", (e) => {
        for (const r of e.Records) {
            events.push({
                kind: r.eventName.startsWith("ObjectRemoved") ? "removed" : "created",
                bucket: r.s3.bucket.name,
                key: decodeURIComponent(r.s3.object.key),
            });
        }
    });
    const address = await server.run();
    return {
        endpoint: `http://127.0.0.1:${address.port}`,
        dir,
        accessKeyId: ACCESS_KEY,
        secretAccessKey: ACCESS_KEY,
        events,
        async createBucket(name) {
            await server.store.putBucket(name);
        },
        async keys(bucket) {
            const files = await listFiles(join(dir, bucket));
            return files
                .filter((f) => f.endsWith(OBJECT_SUFFIX))
                .map((f) => relative(join(dir, bucket), f).split(sep).join("/").slice(0, -OBJECT_SUFFIX.length))
                .sort();
        },
        async object(bucket, key) {
            return readFile(join(dir, bucket, ...key.split("/")) + OBJECT_SUFFIX);
        },
        async stop() {
            await server.close();
            await rm(dir, { recursive: true, force: true });
        },
    };
}

/** Every regular file under root, recursively (absolute paths). */
export async function listFiles(root: string): Promise<string[]> {
    const entries = await readdir(root, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
