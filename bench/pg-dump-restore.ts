// Benchmark: our dump.sh/restore.sh against Bitnami's default backup (pg_dumpall to plain SQL,
// restored with `psql -f`) on a generated ~1 GB QALITA-like database, same machine, same run.
// Each variant runs BENCH_RUNS times (interleaved, so drift hits all variants alike); the median
// is reported. Every restore goes into a fresh server and its row counts are checked.
//   nice -n -15 npx ts-node --transpile-only bench/pg-dump-restore.ts > bench.log
// (on a shared machine the priority keeps other jobs from dominating the timings; the load
// average at start and end is reported so a disturbed run can be recognised).
// Env: BENCH_SCALE (dataset scale, default 160 ≈ 1 GB), BENCH_RUNS (default 3).
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PG_BIN, PgCluster, startPgCluster } from "../test/support/pg-cluster";
import { createQalitaDataset } from "../test/support/qalita-dataset";

const SCALE = Number(process.env.BENCH_SCALE ?? 160);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCRIPTS = path.resolve(__dirname, "../components/postgresql/scripts");
const BITNAMI_DUMP = "pg_dumpall --clean --if-exists --load-via-partition-root --quote-all-identifiers --no-password";

const progress = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

/** Runs a command to completion and returns its wall time in seconds; throws on failure. */
async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, out?: (s: string) => void): Promise<number> {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "",
        stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    const code: number | null = await new Promise((resolve) => child.on("close", resolve));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (code !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(" ")} exited ${code}: ${stderr}`);
    out?.(stdout);
    return seconds;
}

const script = (name: string) => ["-c", fs.readFileSync(path.join(SCRIPTS, name), "utf8")];

function duBytes(p: string): number {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.size;
    return fs.readdirSync(p).reduce((sum, e) => sum + duBytes(path.join(p, e)), 0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function exactCounts(c: PgCluster, db: string): Promise<Record<string, number>> {
    const out = await c.psql(
        `SELECT format('%s.%s', n.nspname, c.relname), (xpath('/row/n/text()', query_to_xml(
        format('SELECT count(*) AS n FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname IN ('platform', 'catalog', 'quality') ORDER BY 1`,
        db,
    );
    return Object.fromEntries(
        out.split("\n").map((l) => {
            const [t, n] = l.split("|");
            return [t, Number(n)];
        }),
    );
}

interface Variant {
    label: string;
    run: (i: number) => Promise<{ seconds: number; bytes?: number }>;
}

async function measure(variants: Variant[]): Promise<Map<string, { seconds: number[]; bytes: number[] }>> {
    const results = new Map(variants.map((v) => [v.label, { seconds: [] as number[], bytes: [] as number[] }]));
    for (let i = 0; i < RUNS; i++) {
        for (const v of variants) {
            const r = await v.run(i);
            results.get(v.label)!.seconds.push(r.seconds);
            if (r.bytes !== undefined) results.get(v.label)!.bytes.push(r.bytes);
            progress(`run ${i + 1}/${RUNS} ${v.label}: ${r.seconds.toFixed(1)} s${r.bytes ? `, ${(r.bytes / 2 ** 20).toFixed(0)} MiB` : ""}`);
        }
    }
    return results;
}

async function main(): Promise<void> {
    const loadAtStart = os.loadavg()[0];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pg-"));
    const source = await startPgCluster({ name: "bench-source" });
    try {
        progress(`generating the QALITA-like dataset at scale ${SCALE}`);
        const genStart = Date.now();
        await createQalitaDataset(source, { scale: SCALE });
        await source.psql("CHECKPOINT");
        const dbBytes = Number(await source.psql("SELECT pg_database_size('qalitadb')"));
        progress(`dataset: ${(dbBytes / 2 ** 20).toFixed(0)} MiB in ${((Date.now() - genStart) / 1000).toFixed(0)} s`);
        const expected = await exactCounts(source, "qalitadb");

        // --- dumps -------------------------------------------------------------------------
        const bitnamiFile = path.join(work, "pg_dumpall.pgdump");
        const ours = (level: number) => path.join(work, `ours-z${level}`);
        const dumpVariants: Variant[] = [
            {
                label: "bitnami pg_dumpall (plain SQL)",
                run: async () => {
                    fs.rmSync(bitnamiFile, { force: true });
                    const seconds = await timed("/bin/bash", ["-c", `${BITNAMI_DUMP} --file=${bitnamiFile}`], source.env());
                    return { seconds, bytes: duBytes(bitnamiFile) };
                },
            },
            ...[1, 6].map((level): Variant => ({
                label: `dump.sh -Fd -j2 gzip ${level}`,
                run: async () => {
                    fs.rmSync(ours(level), { recursive: true, force: true });
                    fs.mkdirSync(ours(level));
                    const seconds = await timed(
                        "/bin/bash",
                        script("dump.sh"),
                        source.env({ PGDUMP_DIR: ours(level), DR_DUMP_COMPRESS: String(level), DR_DUMP_JOBS: "2" }),
                    );
                    return { seconds, bytes: duBytes(ours(level)) };
                },
            })),
        ];
        const dumps = await measure(dumpVariants);

        // --- restores, each into a fresh server ---------------------------------------------
        const ourDump = () => {
            const dir = ours(1);
            return path.join(
                dir,
                fs
                    .readdirSync(dir)
                    .filter((e) => /^\d{8}T\d{6}Z$/.test(e))
                    .sort()
                    .pop()!,
            );
        };
        const withFreshTarget = async (fn: (t: PgCluster) => Promise<number>) => {
            // Same superuser password as the source, as after a Bitnami redeploy with the same Secret:
            // a plain pg_dumpall resets it to the source's and its own \connect lines need that to work.
            const target = await startPgCluster({ name: "bench-target", password: source.password });
            try {
                const seconds = await fn(target);
                const got = await exactCounts(target, "qalitadb");
                if (JSON.stringify(got) !== JSON.stringify(expected)) {
                    throw new Error(`restored row counts differ: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
                }
                return { seconds };
            } finally {
                await target.destroy();
            }
        };
        const oursRestore =
            (jobs: number, pgoptions: string): Variant["run"] =>
            () =>
                withFreshTarget((t) =>
                    timed("/bin/bash", script("restore.sh"), t.env({ DR_DUMP_DIR: ourDump(), DR_RESTORE_JOBS: String(jobs), DR_RESTORE_PGOPTIONS: pgoptions })),
                );
        const MWM = "-c maintenance_work_mem=256MB";
        const restoreVariants: Variant[] = [
            {
                label: "bitnami psql -f",
                run: () => withFreshTarget((t) => timed(`${PG_BIN}/psql`, ["-X", "-q", "-d", "postgres", "-f", bitnamiFile], t.env())),
            },
            { label: "restore.sh -j1", run: oursRestore(1, "") },
            { label: "restore.sh -j2", run: oursRestore(2, "") },
            { label: "restore.sh -j4", run: oursRestore(4, "") },
            { label: "restore.sh -j2 + maintenance_work_mem=256MB", run: oursRestore(2, MWM) },
            { label: "restore.sh -j4 + maintenance_work_mem=256MB", run: oursRestore(4, MWM) },
            { label: "restore.sh -j2 + maintenance_work_mem=256MB + synchronous_commit=off", run: oursRestore(2, `${MWM} -c synchronous_commit=off`) },
        ];
        const restores = await measure(restoreVariants);

        // --- report ----------------------------------------------------------------------------
        const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
        const lines = [
            `Dataset: QALITA-like, scale ${SCALE}, database size ${mib(dbBytes)}; median of ${RUNS} runs; ` +
                `load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end.`,
            "",
            "| operation | variant | median time (s) | all runs (s) | size |",
            "|---|---|---:|---|---:|",
        ];
        for (const [label, r] of dumps) {
            lines.push(`| dump | ${label} | ${median(r.seconds).toFixed(1)} | ${r.seconds.map((s) => s.toFixed(1)).join(", ")} | ${mib(median(r.bytes))} |`);
        }
        for (const [label, r] of restores) {
            lines.push(`| restore | ${label} | ${median(r.seconds).toFixed(1)} | ${r.seconds.map((s) => s.toFixed(1)).join(", ")} | |`);
        }
        const json = {
            date: new Date().toISOString(),
            scale: SCALE,
            runs: RUNS,
            dbBytes,
            load: [loadAtStart, os.loadavg()[0]],
            machine: `${os.cpus().length}× ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.release()}`,
            dumps: Object.fromEntries(dumps),
            restores: Object.fromEntries(restores),
        };
        process.stdout.write(`${lines.join("\n")}\n\nBENCH_JSON ${JSON.stringify(json)}\n`);
    } finally {
        await source.destroy();
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
