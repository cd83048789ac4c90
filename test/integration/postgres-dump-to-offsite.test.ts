// The PostgreSQL path end to end with real tools: dump.sh against PostgreSQL 15, offsite-copy.sh
// to an S3 API, then the cold restore — fetch-dump.sh and restore.sh into another server.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PgCluster, startPgCluster } from "../support/pg-cluster";
import { tableFingerprints } from "../support/qalita-dataset";
import { describeRun, destEnv, requireRclone, runScript } from "../support/rclone";
import { S3Server, startS3Server } from "../support/s3-server";

const BUCKET = "qalita-dr-e2e";
const DUMP_SCRIPT = resolve(__dirname, "../../components/postgresql/scripts/dump.sh");

describe("PostgreSQL dump → offsite copy → cold restore (real PostgreSQL 15, rclone, S3 API)", () => {
    let cluster: PgCluster;
    let target: PgCluster;
    let s3: S3Server;
    let dumpId: string;
    before(async () => {
        requireRclone();
        cluster = await startPgCluster({ name: "e2e", settings: { fsync: "off" } });
        await cluster.psql("CREATE DATABASE qalitadb");
        await cluster.psql("CREATE TABLE jobs (id serial primary key, payload jsonb); INSERT INTO jobs (payload) SELECT jsonb_build_object('n', i) FROM generate_series(1, 2000) i", "qalitadb");
        target = await startPgCluster({ name: "e2e-target", settings: { fsync: "off" } });
        s3 = await startS3Server([BUCKET]);
    });
    const dirs: string[] = [];
    const scratch = (prefix: string) => dirs[dirs.push(mkdtempSync(join(tmpdir(), prefix))) - 1];
    after(async () => {
        await s3?.stop();
        await cluster?.destroy();
        await target?.destroy();
        dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    });

    it("ships the dump dump.sh just wrote, byte-identical, with its manifest last", async () => {
        const dumpDir = scratch("dr-e2e-");
        chmodSync(dumpDir, 0o777);
        const dump = spawnSync("/bin/bash", ["-c", readFileSync(DUMP_SCRIPT, "utf8")], { env: cluster.env({ PGDUMP_DIR: dumpDir }), encoding: "utf8" });
        assert.equal(dump.status, 0, dump.stdout + dump.stderr);
        const [id] = readdirSync(dumpDir).filter((name) => /^\d{8}T\d{6}Z$/.test(name));
        dumpId = id;
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

    it("restores the newest complete dump from cold storage into another server, identical", async () => {
        const fetchDir = scratch("dr-fetch-");
        const fetched = await runScript("components/postgresql/scripts/fetch-dump.sh", { ...destEnv(s3, BUCKET), DR_FETCH_DIR: fetchDir, DR_RESTORE_FROM: "latest" });
        assert.equal(fetched.code, 0, describeRun(fetched));
        assert.equal(readFileSync(join(fetchDir, "dump-id"), "utf8").trim(), dumpId);
        const restore = spawnSync("/bin/bash", ["-c", readFileSync(resolve(__dirname, "../../components/postgresql/scripts/restore.sh"), "utf8")], {
            env: target.env({ DR_DUMP_DIR: join(fetchDir, "dump") }), encoding: "utf8",
        });
        assert.equal(restore.status, 0, restore.stdout + restore.stderr);
        assert.deepEqual(await tableFingerprints(target, "qalitadb"), await tableFingerprints(cluster, "qalitadb"));
    });

    it("refuses a dump id that is not complete in cold storage", async () => {
        const fetched = await runScript("components/postgresql/scripts/fetch-dump.sh", { ...destEnv(s3, BUCKET), DR_FETCH_DIR: scratch("dr-fetch-"), DR_RESTORE_FROM: "20200101T000000Z" });
        assert.notEqual(fetched.code, 0);
        assert.match(fetched.stdout + fetched.stderr, /not complete in cold storage/);
    });
});
