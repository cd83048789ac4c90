// dump.sh and restore.sh against real PostgreSQL 15 servers, each run as its pod runs it:
// dump.sh as `/bin/bash -c "<file contents>"` with the identity of the Bitnami backup CronJob's pod
// (uid, gid and groups from its securityContext: 1001, 0, [1001]) on dump directories laid out as
// the kubelet lays out its fsGroup PVC (group fsGroup, setgid, g+rwx); restore.sh with the
// identity of the stack's restore Job (65532, 65532, [1001]), the dumps read-only to it.
import { postgresRestorePodSpec } from "../support/stack-pods";
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { readScript } from "../../components/scripts";
import { releaseValues } from "../../components/qalita-release/values";
import { bitnamiBackupPod } from "../support/bitnami-backup-pod";
import { resolveWithWorker } from "../support/config";
import { PG_BIN, PgCluster, startPgCluster } from "../support/pg-cluster";
import { applyFsGroup, freshClaimDir, ownTree, PodIdentity, podIdentity, requireRoot, runAs } from "../support/pod-run";
import { createQalitaDataset, QALITA_ROLES, TableFingerprint, tableFingerprints } from "../support/qalita-dataset";

const ID = /^\d{8}T\d{6}Z$/;
const FAST = { fsync: "off", full_page_writes: "off" }; // test data need not survive a power cut
const RELEASE = "qalita";
/** What dump.sh leaves (umask 027 in the PVC's setgid directories, then `chmod -R g+rX`); the round trip checks it. */
const DUMP_MODES = { dir: 0o2750, file: 0o640 };
/** Where dump.sh records each run's outcome for the offsite copy to relay to the heartbeat. */
const RECORD = ".qalita-dr-last-run";

/** The dump volume's entries but the record. */
function dumpsIn(root: string): string[] {
    return fs.readdirSync(root).filter((entry) => entry !== RECORD);
}

/** The last run as dump.sh recorded it: exit code, when it ended, the dump id ("-" before it had one). */
function lastRun(root: string): { code: number; endedSecondsAgo: number; id: string } {
    const [code, at, id] = fs.readFileSync(path.join(root, RECORD), "utf8").trim().split(" ");
    return { code: Number(code), endedSecondsAgo: Math.floor(Date.now() / 1000) - Number(at), id };
}

interface ScriptRun {
    code: number | null;
    out: string;
}

/** Dump ids as they would be for a dump taken `daysAgo` days ago. */
function idDaysAgo(daysAgo: number): string {
    return new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

function rowCounts(out: string): Record<string, Record<string, number>> {
    const lines = out.split("\n").filter((l) => l.startsWith("DR_RESTORE_ROWCOUNTS "));
    const docs = lines.map((l) => JSON.parse(l.slice("DR_RESTORE_ROWCOUNTS ".length)));
    return Object.fromEntries(docs.map((d) => [d.database, d.tables]));
}

async function schemaShape(c: PgCluster, db: string): Promise<string> {
    return c.psql(
        `
        SELECT indexdef FROM pg_indexes WHERE schemaname IN ('platform', 'catalog', 'quality')
        UNION ALL SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
          WHERE connamespace::regnamespace::text IN ('platform', 'catalog', 'quality')
        UNION ALL SELECT format('%s.%s=%s', schemaname, sequencename, last_value) FROM pg_sequences
        ORDER BY 1`,
        db,
    );
}

async function roles(c: PgCluster): Promise<string[]> {
    return (await c.psql("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1")).split("\n");
}

describe("PostgreSQL dump.sh and restore.sh (real PostgreSQL 15), each as its pod's user", function () {
    const clusters: PgCluster[] = [];
    const dirs: string[] = [];
    let source: PgCluster;
    let dumpRoot: string;
    let dumpId: string;
    const sourcePrints: Record<string, Record<string, TableFingerprint>> = {};
    // From the rendered pods: the chart's backup pod (dump.sh), the stack's restore Job (restore.sh).
    let writer: PodIdentity;
    let fsGroup: number;
    let restorer: PodIdentity;
    let restorerHome: string;

    async function cluster(name: string): Promise<PgCluster> {
        const c = await startPgCluster({ name, settings: FAST });
        clusters.push(c);
        return c;
    }
    /** A dump PVC as the backup pod gets it: a fresh volume (root, 0755) the kubelet gave to its fsGroup. */
    function dir(tag: string): string {
        const d = freshClaimDir(`dr-${tag}-`);
        applyFsGroup(d, fsGroup);
        dirs.push(d);
        return d;
    }
    /** Files the test writes in the dump writer's stead: its owner, the volume's group, dump.sh's modes. */
    function asWriter(file: string): void {
        ownTree(file, { uid: writer.uid, gid: fsGroup }, DUMP_MODES);
    }
    /** A directory that looks like a complete dump to the pruner (manifest present), as dump.sh leaves one. */
    function fakeDump(root: string, id: string, complete = true): void {
        fs.mkdirSync(path.join(root, id));
        if (complete) fs.writeFileSync(path.join(root, id, "MANIFEST.sha256"), "");
        asWriter(path.join(root, id));
    }
    /** The client env of `c` without the test's HOME (the cluster's own 0700 directory). */
    function clientEnv(c: PgCluster, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
        const { HOME: _home, ...env } = c.env(extra);
        return env;
    }
    /** dump.sh as the backup CronJob runs it: inline through bash, as the chart pod's user; the pod sets no HOME. */
    function runDump(c: PgCluster, env: NodeJS.ProcessEnv): Promise<ScriptRun> {
        return run(writer, "dump.sh", clientEnv(c, env));
    }
    /** restore.sh as the restore Job runs it: its user, its HOME, the dump volume `readOnly`. */
    function runRestore(c: PgCluster, env: NodeJS.ProcessEnv, readOnly: string): Promise<ScriptRun> {
        return run(restorer, "restore.sh", { ...clientEnv(c, env), HOME: restorerHome }, readOnly);
    }
    async function run(identity: PodIdentity, name: "dump.sh" | "restore.sh", env: NodeJS.ProcessEnv, readOnly?: string): Promise<ScriptRun> {
        const script = readScript("postgresql", name);
        const r = await runAs(identity, ["/bin/bash", "-c", script], env, { readOnly: readOnly ? [readOnly] : [] });
        return { code: r.code, out: r.output };
    }

    before(async () => {
        requireRoot();
        const backupPod = bitnamiBackupPod(RELEASE, (releaseValues(resolveWithWorker({})) as any).postgresql.backup);
        writer = podIdentity(backupPod, backupPod.containers[0].name);
        fsGroup = (backupPod.securityContext as { fsGroup?: number }).fsGroup!;
        assert.equal(typeof fsGroup, "number", "the chart's backup pod has an fsGroup");
        const restoreJob = postgresRestorePodSpec();
        restorer = podIdentity(restoreJob, "restore");
        // The Job's HOME is /tmp, an emptyDir: the host's /tmp (1777) stands in.
        restorerHome = restoreJob.containers[0].env.find((e: { name: string }) => e.name === "HOME")!.value as string;
        source = await cluster("source");
        await createQalitaDataset(source, { scale: 1 });
        // A second application database: every non-template database must be dumped.
        await source.psql("CREATE DATABASE qalita_audit OWNER qalita");
        await source.psql(
            `CREATE TABLE public.audit_events (id serial PRIMARY KEY, at timestamptz DEFAULT now(), what text);
            INSERT INTO audit_events (what) SELECT 'login user' || g FROM generate_series(1, 250) g;
            ALTER TABLE audit_events OWNER TO qalita`,
            "qalita_audit",
        );
        for (const db of ["qalitadb", "qalita_audit"]) sourcePrints[db] = await tableFingerprints(source, db);
        dumpRoot = dir("dumps");
    });

    after(async () => {
        for (const c of clusters) await c.destroy();
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    it("round trip: a dump taken as the CronJob runs it restores into an empty server with identical content", async () => {
        const dump = await runDump(source, { PGDUMP_DIR: dumpRoot });
        assert.equal(dump.code, 0, dump.out);
        assert.ok(!dump.out.includes(source.password), "the password must never be printed");
        const entries = dumpsIn(dumpRoot);
        assert.equal(entries.length, 1, `exactly one complete dump, got ${entries}`);
        dumpId = entries[0];
        assert.match(dumpId, ID);
        // The run's outcome, readable by the volume's group (the offsite copy relays it), by nobody else.
        const run = lastRun(dumpRoot);
        assert.deepEqual([run.code, run.id], [0, dumpId]);
        assert.ok(run.endedSecondsAgo >= 0 && run.endedSecondsAgo < 60, `ended ${run.endedSecondsAgo}s ago`);
        const record = fs.statSync(path.join(dumpRoot, RECORD));
        assert.deepEqual([record.uid, record.gid, record.mode & 0o777], [writer.uid, fsGroup, 0o640]);
        // What the fixtures below imitate: the writer's uid, the volume's group, DUMP_MODES throughout.
        const tree = execFileSync("find", [path.join(dumpRoot, dumpId), "-printf", "%U %G %m %y %P\n"], { encoding: "utf8" })
            .trim()
            .split("\n");
        for (const line of tree) {
            const [uid, gid, mode, type] = line.split(" ");
            const expected = (type === "d" ? DUMP_MODES.dir : DUMP_MODES.file).toString(8);
            assert.deepEqual([Number(uid), Number(gid), mode], [writer.uid, fsGroup, expected], line);
        }
        const info = JSON.parse(fs.readFileSync(path.join(dumpRoot, dumpId, "dump-info.json"), "utf8"));
        assert.equal(info.dump_id, dumpId);
        assert.deepEqual(
            info.databases.map((d: { name: string }) => d.name),
            ["postgres", "qalita_audit", "qalitadb"],
        );

        const target = await cluster("target");
        const restore = await runRestore(target, { PGDUMP_DIR: dumpRoot, DR_RESTORE_FROM: "latest" }, dumpRoot);
        assert.equal(restore.code, 0, restore.out);
        assert.ok(!restore.out.includes(target.password), "the password must never be printed");

        for (const db of ["qalitadb", "qalita_audit"]) {
            const before = sourcePrints[db];
            assert.ok(Object.keys(before).length >= (db === "qalitadb" ? 8 : 1));
            assert.deepEqual(await tableFingerprints(target, db), before, `content of ${db}`);
            const reported = rowCounts(restore.out)[db];
            const expected = Object.fromEntries(Object.entries(before).map(([t, f]) => [t, f.rows]));
            assert.deepEqual(reported, expected, `row counts reported for ${db}`);
            const recorded = JSON.parse(fs.readFileSync(path.join(dumpRoot, dumpId, "databases", `${db}.rowcounts.json`), "utf8"));
            assert.deepEqual([recorded.database, recorded.tables], [db, expected], `row counts recorded in the dump for ${db}`);
        }
        assert.equal(await schemaShape(target, "qalitadb"), await schemaShape(source, "qalitadb"));
        for (const role of QALITA_ROLES) assert.ok((await roles(target)).includes(role), `role ${role}`);
        assert.equal(await target.psql("SELECT pg_has_role('qalita_analyst', 'qalita_readonly', 'MEMBER')"), "t");
        assert.equal(await target.psql("SELECT has_table_privilege('qalita_readonly', 'quality.logs', 'SELECT')", "qalitadb"), "t");
        // The application role logs in with its restored password; the restoring superuser kept its own.
        const app = { user: "qalita", password: "qalita-app-password" };
        assert.equal(await target.psql("SELECT current_user", "qalitadb", app), "qalita");
        assert.equal(await target.psql("SELECT current_user"), "postgres");
    });

    it("refuses to restore over databases that hold tables unless DR_RESTORE_REPLACE=true", async () => {
        assert.ok(dumpId, "needs the round-trip dump");
        const target = await cluster("busy");
        await target.psql("CREATE DATABASE qalitadb");
        await target.psql("CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)", "qalitadb");
        const dumpDir = path.join(dumpRoot, dumpId);

        const refused = await runRestore(target, { DR_DUMP_DIR: dumpDir }, dumpRoot);
        assert.notEqual(refused.code, 0, refused.out);
        assert.match(refused.out, /not empty: 'qalitadb'/);
        assert.equal(await target.psql("SELECT count(*) FROM keep_me", "qalitadb"), "1");
        assert.deepEqual(await target.databases(), ["postgres", "qalitadb", "template0", "template1"]);
        assert.ok(!(await roles(target)).includes("qalita"), "no role restored before the refusal");

        const replaced = await runRestore(target, { DR_DUMP_DIR: dumpDir, DR_RESTORE_REPLACE: "true" }, dumpRoot);
        assert.equal(replaced.code, 0, replaced.out);
        assert.deepEqual(await tableFingerprints(target, "qalitadb"), sourcePrints.qalitadb);
    });

    it("a corrupted or altered dump fails manifest verification and leaves the target untouched", async () => {
        assert.ok(dumpId, "needs the round-trip dump");
        // Copies keep the writer's owner and modes (cp -a as root), as the dump on its volume has them;
        // rewriting a file in place keeps them too.
        const copy = path.join(dir("corrupt"), dumpId);
        execFileSync("cp", ["-a", path.join(dumpRoot, dumpId), copy]);
        const dataDir = path.join(copy, "databases", "qalitadb");
        const biggest = fs
            .readdirSync(dataDir)
            .filter((f) => f.endsWith(".dat.gz"))
            .map((f) => path.join(dataDir, f))
            .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
        const bytes = fs.readFileSync(biggest);
        bytes[Math.floor(bytes.length / 2)] ^= 0x01;
        fs.writeFileSync(biggest, bytes);

        const target = await cluster("pristine");
        const [dbsBefore, rolesBefore] = [await target.databases(), await roles(target)];
        const restore = await runRestore(target, { DR_DUMP_DIR: copy }, path.dirname(copy));
        assert.notEqual(restore.code, 0, restore.out);
        assert.match(restore.out, /checksum verification .* failed/);
        // Failed on the altered file's content, not on a file its user could not read.
        assert.match(restore.out, new RegExp(`databases/qalitadb/${path.basename(biggest)}: FAILED$`, "m"));
        assert.doesNotMatch(restore.out, /Permission denied/);

        // A file the manifest does not know (e.g. a half-copied extra archive) is refused too.
        const extra = path.join(dir("extra"), dumpId);
        execFileSync("cp", ["-a", path.join(dumpRoot, dumpId), extra]);
        fs.writeFileSync(path.join(extra, "databases", "qalitadb", "9999.dat.gz"), "");
        asWriter(path.join(extra, "databases", "qalitadb", "9999.dat.gz"));
        const restoreExtra = await runRestore(target, { DR_DUMP_DIR: extra }, path.dirname(extra));
        assert.notEqual(restoreExtra.code, 0, restoreExtra.out);
        assert.match(restoreExtra.out, /but its manifest lists/);

        assert.deepEqual(await target.databases(), dbsBefore);
        assert.deepEqual(await roles(target), rolesBefore);
    });

    it("pruning drops old dumps and stale partials but keeps the newest DR_KEEP_MIN complete dumps", async () => {
        const root = dir("prune");
        const [d40, d30, d20, d10] = [40, 30, 20, 10].map(idDaysAgo);
        for (const id of [d40, d30, d20, d10]) fakeDump(root, id);
        const foreign = idDaysAgo(50);
        fakeDump(root, foreign, false); // id-named but no manifest: not ours to judge, left alone
        // A crashed run's leftover: pg_dump had made its archive directory 0700, the chmod never came.
        const partial = path.join(root, `.partial-${idDaysAgo(2)}`);
        fs.mkdirSync(path.join(partial, "databases", "qalitadb"), { recursive: true });
        fs.writeFileSync(path.join(partial, "databases", "qalitadb", "toc.dat"), "");
        asWriter(partial);
        fs.chmodSync(path.join(partial, "databases", "qalitadb"), 0o2700);

        const run = await runDump(source, { PGDUMP_DIR: root, DR_KEEP_DAYS: "7", DR_KEEP_MIN: "3" });
        assert.equal(run.code, 0, run.out);
        const fresh = fs.readdirSync(root).filter((e) => ID.test(e) && ![d40, d30, d20, d10, foreign].includes(e));
        assert.equal(fresh.length, 1, run.out);
        assert.deepEqual(dumpsIn(root).sort(), [foreign, d20, d10, fresh[0]].sort());

        // Everything is older than 0 days, yet the dump just written (the newest) survives.
        await waitFor(async () => idDaysAgo(0) > fresh[0]); // ids have a one-second resolution
        const run2 = await runDump(source, { PGDUMP_DIR: root, DR_KEEP_DAYS: "0", DR_KEEP_MIN: "1" });
        assert.equal(run2.code, 0, run2.out);
        const left = dumpsIn(root).filter((e) => e !== foreign);
        assert.equal(left.length, 1, `only the newest dump is left: ${left}`);
        assert.ok(left[0] > fresh[0], "the survivor is the newest dump");
        assert.ok(fs.existsSync(path.join(root, left[0], "MANIFEST.sha256")));

        const refused = await runDump(source, { PGDUMP_DIR: root, DR_KEEP_MIN: "0" });
        assert.notEqual(refused.code, 0, "DR_KEEP_MIN=0 would allow deleting every dump");
        assert.deepEqual(dumpsIn(root).sort(), [foreign, left[0]].sort());
        assert.deepEqual([lastRun(root).code, lastRun(root).id], [refused.code, "-"], "a run refused before dumping is recorded too");
    });

    it("dumps as the chart's app user when the postgres user is disabled, roles without passwords", async () => {
        const root = dir("appuser");
        const run = await runDump(source, { PGDUMP_DIR: root, PGUSER: "qalita", PGPASSWORD: "qalita-app-password" });
        assert.equal(run.code, 0, run.out);
        assert.match(run.out, /not a superuser/);
        const [id] = dumpsIn(root);
        const globals = zlib.gunzipSync(fs.readFileSync(path.join(root, id, "globals.sql.gz"))).toString();
        assert.match(globals, /CREATE ROLE qalita;/);
        assert.doesNotMatch(globals, /SCRAM-SHA-256/);
    });

    it("records each table's row count in the very snapshot it dumps, while writes go on", async () => {
        const busy = await cluster("busy-writes");
        await busy.psql("CREATE DATABASE qalitadb");
        await busy.psql(
            "CREATE TABLE jobs AS SELECT g AS id FROM generate_series(1, 1000) g; CREATE TABLE results AS SELECT g AS id FROM generate_series(1, 10) g",
            "qalitadb",
        );
        const root = dir("snapshot");
        // A lock on one table holds the dump after its snapshot is taken; rows land in the other meanwhile.
        const locker: ChildProcess = spawn(`${PG_BIN}/psql`, ["-X", "-d", "qalitadb", "-c", "BEGIN; LOCK TABLE results; SELECT pg_sleep(600);"], {
            env: busy.env({ PGAPPNAME: "locker" }),
            stdio: "ignore",
        });
        let dump: Promise<ScriptRun>;
        try {
            await waitFor(
                async () => (await busy.psql("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation IS NOT NULL", "qalitadb")) !== "0",
            );
            dump = runDump(busy, { PGDUMP_DIR: root });
            await waitFor(
                async () =>
                    (await busy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'qalita-dr-dump' AND wait_event_type = 'Lock'")) !== "0",
            );
            await busy.psql("INSERT INTO jobs SELECT g FROM generate_series(1001, 1500) g", "qalitadb");
        } finally {
            // Killing the client alone leaves its backend asleep with the lock.
            await busy.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'");
            locker.kill();
        }
        const result = await dump!;
        assert.equal(result.code, 0, result.out);
        const [id] = dumpsIn(root);
        const recorded = JSON.parse(fs.readFileSync(path.join(root, id, "databases", "qalitadb.rowcounts.json"), "utf8"));
        assert.deepEqual(recorded.tables, { "public.jobs": 1000, "public.results": 10 }, "counted in the snapshot, not after the insert");
        assert.match(recorded.taken_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(fs.readFileSync(path.join(root, id, "MANIFEST.sha256"), "utf8").includes(" databases/qalitadb.rowcounts.json\n"), "covered by the manifest");

        const target = await cluster("snapshot-target");
        const restore = await runRestore(target, { DR_DUMP_DIR: path.join(root, id) }, root);
        assert.equal(restore.code, 0, restore.out);
        assert.deepEqual(rowCounts(restore.out).qalitadb, recorded.tables, "the dump holds what was counted");
    });

    it("a server stopped mid-dump fails the run, leaves no complete-looking dump and prunes nothing", async () => {
        const victim = await cluster("victim");
        await victim.psql("CREATE DATABASE qalitadb");
        await victim.psql("CREATE TABLE quality_results AS SELECT g AS id FROM generate_series(1, 1000) g", "qalitadb");
        const root = dir("crash");
        const older = [idDaysAgo(30), idDaysAgo(20)];
        for (const id of older) fakeDump(root, id);

        // An exclusive lock holds pg_dump inside the database dump until we stop the server.
        const locker: ChildProcess = spawn(
            `${PG_BIN}/psql`,
            ["-X", "-d", "qalitadb", "-c", "BEGIN; LOCK TABLE quality_results IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);"],
            { env: victim.env(), stdio: "ignore" },
        );
        try {
            await waitFor(
                async () =>
                    (await victim.psql("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation IS NOT NULL", "qalitadb")) !== "0",
            );
            const dump = runDump(victim, { PGDUMP_DIR: root, DR_KEEP_DAYS: "0", DR_KEEP_MIN: "1" });
            await waitFor(
                async () =>
                    // The dump's first reader of the table waits: its row-counting session, or pg_dump.
                    (await victim.psql(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name IN ('pg_dump', 'qalita-dr-dump') AND wait_event_type = 'Lock'",
                    )) !== "0",
            );
            assert.ok(
                fs.readdirSync(root).some((e) => e.startsWith(".partial-")),
                "the dump is in progress",
            );
            await victim.stop("immediate");
            const result = await dump;
            assert.notEqual(result.code, 0, result.out);
            assert.match(result.out, /FAILED/);
            assert.deepEqual(dumpsIn(root).sort(), older, "only the earlier complete dumps remain");
            const failed = lastRun(root);
            assert.equal(failed.code, result.code, "the failed run is recorded, for the offsite copy to relay");
            assert.match(failed.id, ID);
        } finally {
            locker.kill();
        }
    });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
        if (Date.now() > deadline) throw new Error("condition not met in time");
        await new Promise((r) => setTimeout(r, 100));
    }
}
