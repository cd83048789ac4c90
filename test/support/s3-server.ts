// A real S3 API for integration tests: s3rver on loopback, random port, throwaway directory.
// Tests read the store's files directly so they check what actually landed, not what rclone says.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

/** s3rver ships no types; this is the part of its API the tests use. */
interface S3rverInstance {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    on(event: "event", listener: (e: { Records: S3EventRecord[] }) => void): void;
    store: S3rverStore;
}
interface ListOptions {
    delimiter?: string;
    prefix?: string;
    maxKeys?: number;
    startAfter?: string;
}
interface ListResult {
    objects: { key: string }[];
    commonPrefixes: string[];
    isTruncated: boolean;
}
interface S3rverStore {
    putBucket(name: string): Promise<unknown>;
    listObjects(bucket: string, options: ListOptions): Promise<ListResult>;
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
    /** Writes and deletes go through the S3 API, like any client's. */
    putObject(bucket: string, key: string, body: Buffer): Promise<void>;
    deleteObject(bucket: string, key: string): Promise<void>;
    stop(): Promise<void>;
}

// s3rver knows one access key id; it doesn't verify SigV4 signatures, so each server gets a
// unique secret that tests can look for in logs (it must never be printed).
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
    fixDelimiterListing(server.store);
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
    const endpoint = `http://127.0.0.1:${address.port}`;
    return {
        endpoint,
        dir,
        accessKeyId: ACCESS_KEY,
        secretAccessKey: `test-secret-${randomBytes(12).toString("hex")}`,
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
        async putObject(bucket, key, body) {
            await request("PUT", `${endpoint}/${bucket}/${encodeKey(key)}`, body);
        },
        async deleteObject(bucket, key) {
            await request("DELETE", `${endpoint}/${bucket}/${encodeKey(key)}`);
        },
        async stop() {
            await server.close();
            await rm(dir, { recursive: true, force: true });
        },
    };
}

const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");

/** An anonymous request (s3rver accepts them); throws on any non-2xx answer. */
async function request(method: string, url: string, body?: Buffer): Promise<void> {
    const res = await fetch(url, { method, body });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

/**
 * s3rver 3.7 omits a common prefix whose objects all sit two or more levels below it (it
 * prunes those directories before reaching them). Real S3 lists it, and rclone walks one
 * directory at a time, so without this `jobs/<id>/result` would look absent. Groups a full
 * listing the way S3 does instead.
 */
function fixDelimiterListing(store: S3rverStore): void {
    const list = store.listObjects.bind(store);
    store.listObjects = async (bucket, options) => {
        const { delimiter, prefix = "", maxKeys = Infinity } = options;
        if (!delimiter) return list(bucket, options);
        const all = await list(bucket, { ...options, delimiter: "", maxKeys: Infinity });
        const objects: { key: string }[] = [];
        const commonPrefixes = new Set<string>();
        for (const o of [...all.objects].sort((a, b) => (a.key < b.key ? -1 : 1))) {
            const at = o.key.indexOf(delimiter, prefix.length);
            if (at === -1) objects.push(o);
            else commonPrefixes.add(o.key.slice(0, at + delimiter.length));
        }
        return {
            objects: objects.slice(0, maxKeys),
            commonPrefixes: [...commonPrefixes].sort(),
            isTruncated: objects.length > maxKeys,
        };
    };
}

/** Every regular file under root, recursively (absolute paths). */
export async function listFiles(root: string): Promise<string[]> {
    const entries = await readdir(root, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
