// Benchmark: point-in-time recovery (docs/pitr.md) — what it loses and how long it takes to come
// back. A PostgreSQL 15 primary (default settings, fsync on) holding the QALITA-like dataset, a
// writer committing a timestamped row every 10 ms, and a write load generating WAL; the role Job,
// the WAL receiver, the base backup and the restore Job run as the test runs them
// (test/support/pitr-pods.ts: the rendered pods, EmulatedPod, the chart's uid). Measured:
//   - the base backup (pg_basebackup + pg_verifybackup) of the database;
//   - RPO: the primary killed (immediate) under the load, restored to "latest" from the archive:
//     committed rows the archive lacks, and the seconds between the last row the writer saw
//     committed and the last one restored;
//   - RTO: restores to points 0, ¼, ½ … of the WAL written since the base backup — base backup
//     copied and verified, then replay — so the replay rate per GB of WAL shows.
//   sudo nice -n -15 npx ts-node --transpile-only bench/pg-pitr.ts > pitr-bench.log
// Env: BENCH_SCALE (dataset scale, default 160 ≈ 1 GB), BENCH_WAL_MB (WAL written after the base
// backup, default 1024), BENCH_POINTS (restore points, default 4). Needs root, like the tests.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pitrReleaseValues } from "../components/postgresql/pitr/values";
import { PITR_SLOT } from "../contracts/pitr";
import { resolveWithWorker } from "../test/support/config";
import { PG_BIN, startPgCluster } from "../test/support/pg-cluster";
import { ARCHIVE_CLAIM, DATA_CLAIM, pitrPods, pitrSecrets, scriptPid, sleep, Writer } from "../test/support/pitr-pods";
import { EmulatedPod, freshClaimDir, runAs } from "../test/support/pod-run";
import { createQalitaDataset } from "../test/support/qalita-dataset";

const SCALE = Number(process.env.BENCH_SCALE ?? 160);
const WAL_MB = Number(process.env.BENCH_WAL_MB ?? 1024);
const POINTS = Number(process.env.BENCH_POINTS ?? 4);
const POSTGRES = { uid: 1001, gid: 1001, groups: [1001] };
const progress = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

function pitrResult(output: string): any {
    const line = output.split("\n").find((l) => l.startsWith("PITR_RESULT "));
    if (!line) throw new Error(output.slice(-3000));
    return JSON.parse(line.slice("PITR_RESULT ".length));
}

/** The restored directory served as the chart's PostgreSQL would, for `query`. */
async function onRestored<T>(data: string, password: string, query: (sql: (q: string) => Promise<string>) => Promise<T>): Promise<T> {
    const socket = fs.mkdtempSync(path.join(os.tmpdir(), "pitr-bench-"));
    fs.chmodSync(socket, 0o777);
    const env = { PATH: `${PG_BIN}:/usr/bin:/bin` };
    const port = "25433";
    const start = await runAs(
        POSTGRES,
        [
            "pg_ctl",
            "-D",
            data,
            "-w",
            "-t",
            "600",
            "-l",
            path.join(socket, "log"),
            "-o",
            `-p ${port} -c listen_addresses='' -c unix_socket_directories=${socket}`,
            "start",
        ],
        env,
    );
    if (start.code !== 0) throw new Error(start.output);
    try {
        return await query(async (q) =>
            execFileSync(`${PG_BIN}/psql`, ["-h", socket, "-p", port, "-U", "postgres", "-d", "postgres", "-XAtc", q], {
                env: { PGPASSWORD: password },
                encoding: "utf8",
            }).trim(),
        );
    } finally {
        await runAs(POSTGRES, ["pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], env);
        fs.rmSync(socket, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    const loadAtStart = os.loadavg()[0];
    const dirs: string[] = [];
    const pods: EmulatedPod[] = [];
    const primary = await startPgCluster({ name: "pitr-bench", settings: { track_commit_timestamp: "on", max_wal_size: "1GB" } });
    const rolePassword = "bench-role-password";
    const pod = (rendered: { spec: any; files: Record<string, string> }, claims: Record<string, string>) =>
        pods[
            pods.push(
                new EmulatedPod(rendered.spec, {
                    claims,
                    configMaps: { scripts: rendered.files },
                    secrets: pitrSecrets(primary, rolePassword),
                    network: { PGHOST: primary.host, PGPORT: String(primary.port) },
                }),
            ) - 1
        ];
    const claim = (prefix: string) => dirs[dirs.push(freshClaimDir(prefix)) - 1];
    try {
        const values = pitrReleaseValues(resolveWithWorker({ elements: { postgresql: { pitr: { enabled: true, maxSlotWalKeepSize: "8GB" } } } })) as any;
        fs.writeFileSync(path.join(primary.dataDir, "pg_hba.conf"), values.postgresql.primary.pgHbaConfiguration);
        fs.appendFileSync(path.join(primary.dataDir, "postgresql.auto.conf"), values.postgresql.primary.extendedConfiguration);
        await primary.psql("SELECT pg_reload_conf()");
        progress(`dataset, scale ${SCALE}`);
        await createQalitaDataset(primary, { scale: SCALE });
        await primary.psql("CREATE TABLE ticks (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        await primary.psql("CREATE TABLE load (id bigserial PRIMARY KEY, payload text NOT NULL)", "qalitadb");
        const dbBytes = Number(await primary.psql("SELECT sum(pg_database_size(datname)) FROM pg_database"));
        progress(`database ${(dbBytes / 2 ** 20).toFixed(0)} MiB`);

        const role = await pod(pitrPods.role(), {}).runAll();
        if (role.code !== 0) throw new Error(role.output);
        const archive = claim("pitr-bench-archive-");
        const receiverPod = pod(pitrPods.receiver(), { [ARCHIVE_CLAIM]: archive });
        const receiver = receiverPod.run("receiver");
        await scriptPid(receiverPod.volume("scripts"), "wal-receiver.sh");
        // The receiver takes its new generation's first base backup: wait for it, then time the CronJob's.
        const generation = async () => fs.readFileSync(path.join(archive, "CURRENT"), "utf8").trim();
        for (; ; await sleep(500)) {
            try {
                const base = path.join(archive, await generation(), "base");
                if (fs.readdirSync(base).some((n) => !n.startsWith("."))) break;
            } catch {
                /* not yet */
            }
        }
        const writer = new Writer(primary);
        progress("base backup (CronJob pod) under the writer");
        const baseStart = process.hrtime.bigint();
        const base = await pod(pitrPods.baseBackup(), { [ARCHIVE_CLAIM]: archive }).runAll();
        if (base.code !== 0) throw new Error(base.output);
        const baseSeconds = seconds(baseStart);
        const baseResult = JSON.parse(
            base.output
                .trim()
                .split("\n")
                .pop()!
                .replace(/^BASE_BACKUP_RESULT /, ""),
        );
        const info = JSON.parse(fs.readFileSync(path.join(archive, await generation(), "base", baseResult.id, "pitr-backup.json"), "utf8"));

        // WAL after the base backup, with restore points along it.
        const sinceBase = async () => Number(await primary.psql(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${info.startLsn}')`));
        const points: { walBytes: number; time: string; lastId: number }[] = [];
        const point = async () => {
            const row = await primary.psql(
                `SELECT id, to_char(pg_xact_commit_timestamp(xmin) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM ticks ORDER BY id DESC LIMIT 1`,
            );
            points.push({ walBytes: await sinceBase(), time: row.split("|")[1], lastId: Number(row.split("|")[0]) });
        };
        await sleep(1000);
        await point();
        const loadStart = process.hrtime.bigint();
        for (let k = 1; k < POINTS; k++) {
            const goal = (WAL_MB * 2 ** 20 * k) / (POINTS - 1);
            while ((await sinceBase()) < goal) {
                await primary.psql(
                    "INSERT INTO load (payload) SELECT md5(random()::text) || repeat(md5(random()::text), 8) FROM generate_series(1, 20000)",
                    "qalitadb",
                );
            }
            await point();
            progress(`restore point ${k}: ${(points[k].walBytes / 2 ** 20).toFixed(0)} MiB of WAL since the base backup`);
        }
        const loadSeconds = seconds(loadStart);
        const lag = await primary.psql(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = '${PITR_SLOT}'`);
        await primary.stop("immediate");
        await writer.exited;
        const lastConfirmed = writer.last;
        process.kill(await scriptPid(receiverPod.volume("scripts"), "wal-receiver.sh"), "SIGTERM");
        await receiver;
        progress(`primary killed; the writer saw ${lastConfirmed} rows committed; slot lag at the kill ${lag} bytes`);

        const restore = async (target: string) => {
            const data = claim("pitr-bench-data-");
            const started = process.hrtime.bigint();
            const run = await pod(pitrPods.restore(target), { [DATA_CLAIM]: data, [ARCHIVE_CLAIM]: archive }).runAll();
            const wall = seconds(started);
            const result = pitrResult(run.output);
            if (result.outcome !== "success") throw new Error(run.output.slice(-3000));
            return { data, wall, result };
        };
        progress("restore to latest (RPO)");
        const latest = await restore("latest");
        const rpo = await onRestored(path.join(latest.data, "data"), primary.password, async (sql) => {
            const ids = new Set((await sql("SELECT id FROM ticks")).split("\n").map(Number));
            return {
                lost: writer.confirmed.filter((id) => !ids.has(id)).length,
                lastRestored: Math.max(...ids),
            };
        });
        fs.rmSync(latest.data, { recursive: true, force: true });
        const rows: string[] = [];
        const measures: any[] = [];
        for (const p of points) {
            progress(`restore to ${p.time} (${(p.walBytes / 2 ** 20).toFixed(0)} MiB of WAL)`);
            const r = await restore(p.time);
            const restoredLast = await onRestored(path.join(r.data, "data"), primary.password, async (sql) => Number(await sql("SELECT max(id) FROM ticks")));
            if (restoredLast !== p.lastId) throw new Error(`restore to ${p.time}: last row ${restoredLast}, expected ${p.lastId}`);
            fs.rmSync(r.data, { recursive: true, force: true });
            measures.push({ walMiB: p.walBytes / 2 ** 20, ...r.result, wall: r.wall });
            rows.push(
                `| ${(p.walBytes / 2 ** 20).toFixed(0)} | ${r.result.copySeconds} | ${r.result.replaySeconds} | ${r.result.walFiles} | ${r.wall.toFixed(1)} |`,
            );
        }
        const loadAtEnd = os.loadavg()[0];
        console.log(
            `database ${(dbBytes / 2 ** 20).toFixed(0)} MiB (scale ${SCALE}); load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end`,
        );
        console.log(
            `base backup (pg_basebackup -X stream + pg_verifybackup), CronJob pod: ${baseSeconds.toFixed(1)} s, ${(baseResult.bytes / 2 ** 20).toFixed(0)} MiB`,
        );
        console.log(`write load: ${WAL_MB} MiB of WAL in ${loadSeconds.toFixed(0)} s, a row committed every 10 ms besides`);
        console.log(
            `RPO: primary killed under load; ${rpo.lost} of ${lastConfirmed} confirmed rows missing after restoring to latest (≈ ${rpo.lost * 10} ms of commits; last confirmed ${lastConfirmed}, last restored ${rpo.lastRestored})`,
        );
        console.log("| WAL since the base backup (MiB) | copy + verify (s) | replay (s) | WAL files restored | restore Job wall time (s) |");
        console.log("|---:|---:|---:|---:|---:|");
        rows.forEach((r) => console.log(r));
        console.log(
            `BENCH_JSON ${JSON.stringify({ scale: SCALE, dbBytes, baseSeconds, baseBytes: baseResult.bytes, walMiB: WAL_MB, loadSeconds, rpo, lastConfirmed, latest: latest.result, measures, load: [loadAtStart, loadAtEnd] })}`,
        );
    } finally {
        pods.forEach((p) => p.cleanup());
        await primary.destroy();
        dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
