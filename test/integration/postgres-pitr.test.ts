// Point-in-time recovery where production stands (docs/pitr.md): one live PostgreSQL 15 primary
// with the pg_hba.conf and max_slot_wal_keep_size the plan renders, a writer inserting a row every
// 10 ms; the role Job, the WAL receiver, a base backup, the copy to an AWS-like SSE-KMS bucket and
// the restore Job each run as their rendered pod says (uid/gid/fsGroup 1001, read-only mounts, the
// scripts of their ConfigMaps). The primary is killed (immediate); a restore to T brings back every
// row committed up to T and none after; one to "latest" every row the writer saw committed — the
// receiver's --synchronous archive loses nothing, nor does a receiver restarted mid-stream.
// Heavy measurements (1 GB, replay rates) are bench/pg-pitr.ts's.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pitrReleaseValues } from "../../components/postgresql/pitr/values";
import { PITR_APPLICATION_NAME, PITR_ROLE, PITR_SLOT } from "../../contracts/pitr";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { resolveWithWorker } from "../support/config";
import { freePort, PG_BIN, PgCluster, startPgCluster } from "../support/pg-cluster";
import { ARCHIVE_CLAIM, DATA_CLAIM, PITR_PREFIX, pitrPods, pitrSecrets, scriptPid, sleep, Writer } from "../support/pitr-pods";
import { EmulatedPod, freshClaimDir, PodRunResult, requireRoot, runAs, withEnv } from "../support/pod-run";
import { requireRclone } from "../support/rclone";
import { bucketAccess } from "../support/stack-pods";

const BUCKET = "qalita-dr-pitr";
const ROLE_PASSWORD = "pitr-role-password-in-a-secret";
const SLOT_LIMIT = "32MB";
const POSTGRES = { uid: 1001, gid: 1001, groups: [1001] };

function result(run: PodRunResult): any {
    const line = run.output.split("\n").find((l) => l.startsWith("PITR_RESULT "));
    assert.ok(line, run.output);
    return JSON.parse(line.slice("PITR_RESULT ".length));
}

describe("point-in-time recovery (real PostgreSQL 15, AWS-like S3), each script as its pod runs it", () => {
    let primary: PgCluster;
    let s3: AwsS3;
    let writer: Writer;
    let archive: string;
    let receiver: { pod: EmulatedPod; run: Promise<PodRunResult> } | undefined;
    const dirs: string[] = [];
    const pods: EmulatedPod[] = [];
    let target: { time: string; lastId: number };
    let killedAfter: number;
    let latest: { data: string; run: Promise<PodRunResult> };

    const access = () => bucketAccess(s3, BUCKET);
    const options = (claims: Record<string, string>) => ({
        claims,
        secrets: { ...pitrSecrets(primary, ROLE_PASSWORD), ...access().secrets },
        network: { PGHOST: primary.host, PGPORT: String(primary.port), ...access().network },
    });
    const pod = (rendered: { spec: any; files: Record<string, string> }, claims: Record<string, string> = {}) =>
        pods[pods.push(new EmulatedPod(rendered.spec, { ...options(claims), configMaps: { scripts: rendered.files } })) - 1];
    /** Base backups need not survive a power cut here either: as an operator editing the pod would, no fsync. */
    const noSync = (rendered: { spec: any; files: Record<string, string> }, container: string) => ({
        ...rendered,
        spec: withEnv(rendered.spec, container, { DR_PITR_BASEBACKUP_OPTIONS: "--no-sync" }),
    });
    const claimDir = (prefix: string) => dirs[dirs.push(freshClaimDir(prefix)) - 1];

    const startReceiver = async () => {
        const p = pod(noSync(pitrPods.receiver(), "receiver"), { [ARCHIVE_CLAIM]: archive });
        receiver = { pod: p, run: p.run("receiver") };
        await scriptPid(p.volume("scripts"), "wal-receiver.sh");
    };
    /** As the kubelet stops a container: SIGTERM, then the pod's exit. */
    const stopReceiver = async () => {
        if (!receiver) return;
        process.kill(await scriptPid(receiver.pod.volume("scripts"), "wal-receiver.sh"), "SIGTERM");
        const run = await receiver.run;
        receiver = undefined;
        assert.equal(run.code, 0, run.output);
        return run.output;
    };
    const slot = async () => (await primary.psql(`SELECT active, wal_status FROM pg_replication_slots WHERE slot_name = '${PITR_SLOT}'`)).split("|");
    const generation = () => readFileSync(join(archive, "CURRENT"), "utf8").trim();

    /** The restored data directory, served as the chart's PostgreSQL would (uid 1001) on loopback: `stop()` when done. */
    async function serveRestored(dataClaim: string) {
        const socket = mkdtempSync(join(tmpdir(), "pitr-check-"));
        chmodSync(socket, 0o777);
        const data = join(dataClaim, "data");
        const env = { PATH: `${PG_BIN}:/usr/bin:/bin` };
        // A port free when asked can be taken (by the other mocha worker) before the server binds it: another then.
        let port = "";
        for (let attempt = 1; ; attempt++) {
            port = String(await freePort());
            // The primary's configuration came along in the base backup: no standby streams from this server.
            const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${socket} -c synchronous_standby_names=''`;
            const start = await runAs(POSTGRES, ["pg_ctl", "-D", data, "-w", "-l", join(socket, "log"), "-o", options, "start"], env);
            if (start.code === 0) break;
            const log = readFileSync(join(socket, "log"), "utf8");
            assert.ok(attempt < 3 && /Address already in use/.test(log), start.output + log);
        }
        const sql = (query: string) =>
            execFileSync(`${PG_BIN}/psql`, ["-h", socket, "-p", port, "-U", "postgres", "-d", "postgres", "-XAtc", query], {
                env: { PGPASSWORD: primary.password },
                encoding: "utf8",
            }).trim();
        const stop = async () => {
            await runAs(POSTGRES, ["pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], env);
            rmSync(socket, { recursive: true, force: true });
        };
        return { port, sql, stop, ids: () => sql("SELECT id FROM ticks ORDER BY id").split("\n").filter(Boolean).map(Number) };
    }

    /** The chart values the plan renders for the primary, applied as the chart does: its pg_hba.conf, its extended configuration. */
    async function configurePrimary(pitr: { synchronous: boolean }) {
        const values = pitrReleaseValues(
            resolveWithWorker({ elements: { postgresql: { pitr: { enabled: true, maxSlotWalKeepSize: SLOT_LIMIT, synchronous: pitr.synchronous } } } }),
        ) as any;
        writeFileSync(join(primary.dataDir, "pg_hba.conf"), values.postgresql.primary.pgHbaConfiguration);
        writeFileSync(join(primary.dataDir, "postgresql.auto.conf"), values.postgresql.primary.extendedConfiguration);
        await primary.psql("SELECT pg_reload_conf()");
    }

    before(async () => {
        requireRoot();
        requireRclone();
        // Commit timestamps make "committed up to T" exact; fsync off: test data need not survive a power cut.
        [primary, s3] = await Promise.all([startPgCluster({ name: "pitr", settings: { fsync: "off", track_commit_timestamp: "on" } }), startAwsS3([BUCKET])]);
        await configurePrimary({ synchronous: false });
        await primary.psql("CREATE TABLE ticks (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        archive = claimDir("qalita-dr-pitr-");
        for (let i = 0; i < 2; i++) {
            const role = await pod(pitrPods.role()).runAll();
            assert.equal(role.code, 0, role.output);
        }
        await startReceiver();
        for (let i = 0; (await slot())[0] !== "t"; i++) {
            assert.ok(i < 200, "the receiver streams through its slot");
            await sleep(50);
        }
        writer = new Writer(primary);
    });
    afterEach(() => {
        assert.deepEqual(s3.violations, [], "a write AWS would have encrypted with another key, or an SSE header on a read");
        assert.deepEqual(s3.deniedDeletes, [], "a delete the writer's policy denies");
    });
    after(async () => {
        if (receiver) {
            const pid = await scriptPid(receiver.pod.volume("scripts"), "wal-receiver.sh", 500).catch(() => undefined);
            if (pid) process.kill(pid, "SIGTERM");
            await receiver.run;
        }
        await writer?.stop();
        pods.forEach((p) => p.cleanup());
        await s3?.stop();
        await primary?.destroy();
        dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    });

    it("the role Job gives the receiver's role LOGIN and REPLICATION only (twice: idempotent), and the rendered pg_hba.conf lets it stream", async () => {
        assert.equal(await primary.psql(`SELECT rolcanlogin, rolreplication, rolsuper, rolcreatedb FROM pg_roles WHERE rolname = '${PITR_ROLE}'`), "t|t|f|f");
        assert.deepEqual(await slot(), ["t", "reserved"]);
    });

    it("a base backup, as the CronJob's pod takes it while rows are written, is verified and published with its first WAL segment", async () => {
        const run = await pod(noSync(pitrPods.baseBackup(), "base-backup"), { [ARCHIVE_CLAIM]: archive }).runAll();
        assert.equal(run.code, 0, run.output);
        const { id } = JSON.parse(
            run.output
                .trim()
                .split("\n")
                .pop()!
                .replace(/^BASE_BACKUP_RESULT /, ""),
        );
        const base = join(archive, generation(), "base", id);
        const info = JSON.parse(readFileSync(join(base, "pitr-backup.json"), "utf8"));
        assert.match(info.startWal, /^[0-9A-F]{24}$/);
        assert.ok(statSync(join(base, "backup_manifest")).isFile());
        assert.equal(statSync(join(base, "PG_VERSION")).uid, 1001, "written as the chart's uid");
        // The receiver took its new generation's first base backup itself, beside this one.
        for (let i = 0; readdirSync(join(archive, generation(), "base")).some((name) => name.startsWith(".partial-")); i++) {
            assert.ok(i < 400, "the receiver's base backup completes");
            await sleep(25);
        }
        assert.equal(readdirSync(join(archive, generation(), "base")).length, 2, "the receiver's and the CronJob's");
    });

    it("a receiver stopped and started again mid-stream resumes where it stopped: no gap; the slot limit drops a slot nobody reads", async () => {
        const stopped = await stopReceiver();
        assert.match(stopped!, /stopped/);
        const during = writer.last;
        await sleep(150);
        assert.ok(writer.last > during, "rows are committed while no receiver runs");
        await startReceiver();
        // A slot nobody reads: past max_slot_wal_keep_size the primary drops it, and keeps no more WAL for it.
        await primary.psql("SELECT pg_create_physical_replication_slot('probe', true)");
        for (let i = 0; i < 3; i++) await primary.psql("INSERT INTO ticks DEFAULT VALUES; SELECT pg_switch_wal()");
        // 48 MB in a few ms: let the receiver report it has them, as it does within milliseconds of any write.
        for (
            let i = 0;
            Number(await primary.psql(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = '${PITR_SLOT}'`)) >
            2 ** 23;
            i++
        ) {
            assert.ok(i < 200, "the receiver catches up");
            await sleep(25);
        }
        await primary.psql("CHECKPOINT");
        assert.equal(await primary.psql("SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'probe'"), "lost", `${SLOT_LIMIT} exceeded`);
        assert.deepEqual((await slot())[1], "reserved", "the receiver's own slot keeps up");
        await primary.psql("SELECT pg_drop_replication_slot('probe')");
    });

    it("the restore Job refuses to run while the release's PostgreSQL answers, touching nothing", async () => {
        const data = claimDir("qalita-data-");
        const run = await pod(pitrPods.restore("latest"), { [DATA_CLAIM]: data, [ARCHIVE_CLAIM]: archive }).runAll();
        assert.equal(run.code, 1, run.output);
        assert.match(result(run).reason, /PostgreSQL answers at .*scale the StatefulSet to 0/);
        assert.deepEqual(readdirSync(data), []);
    });

    it("the primary killed under load; the copy ships the archive to the bucket in order, the segment being received under its .partial name only", async () => {
        const row = await primary.psql(
            `SELECT id, to_char(pg_xact_commit_timestamp(xmin) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM ticks ORDER BY id DESC LIMIT 1`,
        );
        target = { lastId: Number(row.split("|")[0]), time: row.split("|")[1] };
        // The release with pitr.synchronous: from now on a commit returns once the receiver has flushed it.
        await configurePrimary({ synchronous: true });
        for (
            let i = 0;
            (await primary.psql(`SELECT sync_state FROM pg_stat_replication WHERE application_name = '${PITR_APPLICATION_NAME}'`)) !== "sync";
            i++
        ) {
            assert.ok(i < 200, "the receiver becomes the synchronous standby");
            await sleep(25);
        }
        await sleep(100);
        await primary.stop("immediate");
        await writer.exited;
        killedAfter = writer.last;
        assert.ok(killedAfter > target.lastId + 5, "rows committed after T");
        await stopReceiver();
        // The restore from the archive PVC needs nothing of the bucket: it runs beside the copies (checked below).
        const data = claimDir("qalita-data-");
        latest = { data, run: pod(pitrPods.restore("latest"), { [DATA_CLAIM]: data, [ARCHIVE_CLAIM]: archive }).runAll() };
        const { destination } = access();
        for (let run = 0; run < 2; run++) {
            const copy = await pod(pitrPods.copy(destination), { [ARCHIVE_CLAIM]: archive }).runAll();
            assert.equal(copy.code, 0, copy.output);
            if (run === 1) assert.match(copy.output, /done: 0 base backups, 0 WAL files copied/, "incremental");
        }
        const keys = (await s3.keys(BUCKET)).filter((key) => key.startsWith(`${PITR_PREFIX}${generation()}/wal/`)).map((key) => key.split("/").pop()!);
        const segments = keys.filter((key) => /^[0-9A-F]{24}\.gz$/.test(key)).map((key) => parseInt(key.slice(16, 24), 16));
        assert.deepEqual(
            segments,
            Array.from({ length: segments.length }, (_, i) => segments[0] + i),
            "contiguous: no hole",
        );
        const partials = keys.filter((key) => key.endsWith(".partial"));
        assert.equal(partials.length, 1, keys.join(" "));
        assert.ok(!keys.includes(partials[0].replace(/\.partial$/, "")), "the partial segment is never presented as complete");
    });

    it("restore to T from the bucket: every row committed up to T, none after", async () => {
        const data = claimDir("qalita-data-");
        const run = await pod(pitrPods.restore(target.time, access().destination), { [DATA_CLAIM]: data }).runAll();
        const outcome = result(run);
        assert.equal(outcome.outcome, "success", run.output);
        assert.equal(outcome.reachedTarget, true);
        const server = await serveRestored(data);
        try {
            const ids = server.ids();
            assert.equal(ids.length, target.lastId, "every row up to T, no gap");
            assert.equal(ids[ids.length - 1], target.lastId, "none after T");
            assert.equal(server.sql("SELECT slot_name FROM pg_replication_slots"), PITR_SLOT, "the receiver's slot, created on the promoted server");
        } finally {
            await server.stop();
        }
    });

    it("restore to latest from the archive PVC: every row the writer saw committed before the kill is there (pitr.synchronous); the receiver then follows the new timeline in a new generation", async () => {
        const run = await latest.run;
        assert.equal(result(run).outcome, "success", run.output);
        const server = await serveRestored(latest.data);
        const ids = server.ids();
        assert.ok(ids.length >= killedAfter, `all ${killedAfter} confirmed rows`);
        assert.deepEqual(
            writer.confirmed.filter((id) => !ids.includes(id)),
            [],
            "no confirmed row lost",
        );
        // What `pulumi up` does once the restore key is unset: the receiver is back, on the restored server.
        const old = generation();
        const p = new EmulatedPod(noSync(pitrPods.receiver(), "receiver").spec, {
            ...options({ [ARCHIVE_CLAIM]: archive }),
            configMaps: { scripts: pitrPods.receiver().files },
            network: { PGHOST: "127.0.0.1", PGPORT: server.port },
        });
        pods.push(p);
        receiver = { pod: p, run: p.run("receiver") };
        try {
            for (let i = 0; generation() === old || server.sql(`SELECT active FROM pg_replication_slots WHERE slot_name = '${PITR_SLOT}'`) !== "t"; i++) {
                assert.ok(i < 200, "the receiver streams from the restored server");
                await sleep(50);
            }
            const [, timeline] = readFileSync(join(archive, generation(), "SYSTEM"), "utf8")
                .trim()
                .split(" ");
            assert.equal(timeline, "2", "a new generation follows the promoted timeline; the old one stays as it was");
            assert.ok(readdirSync(join(archive, old, "wal")).length > 0);
        } finally {
            await stopReceiver();
            await server.stop();
        }
    });
});
