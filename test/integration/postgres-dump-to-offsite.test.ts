// The contract between the two PostgreSQL jobs: what dump.sh writes against a real PostgreSQL 15
// is exactly what offsite-copy.sh ships to a real S3 API — every file, manifest last.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PgCluster, startPgCluster } from "../support/pg-cluster";
import { describeRun, destEnv, requireRclone, runScript } from "../support/rclone";
import { S3Server, startS3Server } from "../support/s3-server";

const BUCKET = "qalita-dr-e2e";
const DUMP_SCRIPT = resolve(__dirname, "../../components/postgresql/scripts/dump.sh");

describe("PostgreSQL dump → offsite copy (real PostgreSQL 15, real rclone, real S3 API)", () => {
    let cluster: PgCluster;
    let s3: S3Server;
    before(async () => {
        requireRclone();
        cluster = await startPgCluster({ name: "e2e", settings: { fsync: "off" } });
        await cluster.psql("CREATE DATABASE qalitadb");
        await cluster.psql("CREATE TABLE jobs (id serial primary key, payload jsonb); INSERT INTO jobs (payload) SELECT jsonb_build_object('n', i) FROM generate_series(1, 2000) i", "qalitadb");
        s3 = await startS3Server([BUCKET]);
    });
    after(async () => {
        await s3?.stop();
        await cluster?.stop();
    });

    it("ships the dump dump.sh just wrote, byte-identical, with its manifest last", async () => {
        const dumpDir = mkdtempSync(join(tmpdir(), "dr-e2e-"));
        chmodSync(dumpDir, 0o777);
        const dump = spawnSync("/bin/bash", ["-c", readFileSync(DUMP_SCRIPT, "utf8")], { env: cluster.env({ PGDUMP_DIR: dumpDir }), encoding: "utf8" });
        assert.equal(dump.status, 0, dump.stdout + dump.stderr);
        const [id] = readdirSync(dumpDir).filter((name) => /^\d{8}T\d{6}Z$/.test(name));
        const manifest = readFileSync(join(dumpDir, id, "MANIFEST.sha256"), "utf8");
        const files = manifest.trim().split("\n").map((line) => line.replace(/^[0-9a-f]{64} [ *]/, ""));

        const copy = await runScript("components/postgresql/scripts/offsite-copy.sh", { ...destEnv(s3, BUCKET), PGDUMP_DIR: dumpDir });
        assert.equal(copy.code, 0, describeRun(copy));
        const keys = await s3.keys(BUCKET);
        assert.deepEqual(keys, [...files, "MANIFEST.sha256"].map((file) => `postgresql/${id}/${file}`).sort());
        for (const file of files) {
            assert.ok((await s3.object(BUCKET, `postgresql/${id}/${file}`)).equals(readFileSync(join(dumpDir, id, file))), file);
        }
        const writes = s3.events.filter((event) => event.key.startsWith(`postgresql/${id}/`));
        assert.equal(writes[writes.length - 1].key, `postgresql/${id}/MANIFEST.sha256`);
    });
});
