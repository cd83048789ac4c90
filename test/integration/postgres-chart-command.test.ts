// The dump command exactly as the stack puts it in the release values, rendered the way Bitnami
// 12.12.10's template renders it (`- {{ . }}`, unquoted), then run as the chart's backup pod runs
// it (uid 1001, gid 0, fsGroup 1001 on the dump PVC: test/support/bitnami-backup-pod.ts) against
// real PostgreSQL 15.
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { inlineBashCommand } from "../../components/postgresql/inline-command";
import { dumpClaimName } from "../../contracts/qalita-chart";
import { releaseValues } from "../../components/qalita-release/values";
import { bitnamiBackupPod } from "../support/bitnami-backup-pod";
import { resolveWithWorker } from "../support/config";
import { PgCluster, startPgCluster } from "../support/pg-cluster";
import { EmulatedPod, freshClaimDir, requireRoot } from "../support/pod-run";

const RELEASE = "qalita";

/** What `command: {{- range .Values.backup.cronjob.command }} - {{ . }} {{- end }}` yields. */
function renderLikeTheChart(command: string[]): string[] {
    return parse(`command:\n${command.map((item) => `- ${item}`).join("\n")}\n`).command;
}

describe("PostgreSQL dump command through the Bitnami chart template", () => {
    let cluster: PgCluster;
    const dirs: string[] = [];
    const pods: EmulatedPod[] = [];
    const claim = (prefix: string) => dirs[dirs.push(freshClaimDir(prefix)) - 1];
    /** The chart's backup pod with `command`, its dump PVC on `dumpDir`, the release's PostgreSQL Service and Secret. */
    const backupPod = (command: string[], dumpDir: string) =>
        pods[
            pods.push(
                new EmulatedPod(bitnamiBackupPod(RELEASE, { cronjob: { command } }), {
                    claims: { [dumpClaimName(RELEASE)]: dumpDir },
                    secrets: { [`${RELEASE}-postgresql`]: { "postgres-password": cluster.password } },
                    network: { PGHOST: cluster.host, PGPORT: String(cluster.port) },
                }),
            ) - 1
        ];
    after(() => {
        pods.forEach((pod) => pod.cleanup());
        dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    });
    before(async () => {
        requireRoot();
        cluster = await startPgCluster({ name: "chart-command", settings: { fsync: "off" } });
        await cluster.psql("CREATE DATABASE qalitadb");
        await cluster.psql(
            "CREATE TABLE sources (id serial primary key, name text); INSERT INTO sources (name) SELECT 'source ' || i FROM generate_series(1, 500) i",
            "qalitadb",
        );
    });
    after(async () => cluster?.destroy());

    it("survives the chart's unquoted rendering and dumps with the configured settings", async () => {
        const spec = resolveWithWorker({ elements: { postgresql: { dump: { keepDays: 5, keepMin: 2, jobs: 1 } } } });
        const command = (releaseValues(spec) as any).postgresql.backup.cronjob.command as string[];
        const rendered = renderLikeTheChart(command);
        assert.deepEqual(rendered, command);
        const dumpDir = claim("dr-chart-");
        const run = await backupPod(rendered, dumpDir).runAll();
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /jobs=1/);
        const [dumpId] = readdirSync(dumpDir).filter((name) => /^\d{8}T\d{6}Z$/.test(name));
        assert.ok(dumpId, `a complete dump in ${readdirSync(dumpDir).join(", ")}`);
        assert.match(readFileSync(join(dumpDir, dumpId, "MANIFEST.sha256"), "utf8"), /databases\/.*qalitadb/);
    });

    it("fails, running nothing, when the encoded payload is corrupt", async () => {
        // The payload writes into the dump PVC: intact, it does (so the pod could); corrupt, nothing runs.
        const [bash, flag, line] = renderLikeTheChart(inlineBashCommand('touch "$PGDUMP_DIR/ran"; exit 0'));
        const intactDir = claim("dr-chart-intact-");
        const intact = await backupPod([bash, flag, line], intactDir).runAll();
        assert.equal(intact.code, 0, intact.output);
        assert.deepEqual(readdirSync(intactDir), ["ran"]);

        const corrupt = line.replace(/printf %s (\S{10})/, "printf %s AAAA$1");
        assert.notEqual(corrupt, line);
        const corruptDir = claim("dr-chart-corrupt-");
        const run = await backupPod([bash, flag, corrupt], corruptDir).runAll();
        assert.notEqual(run.code, 0, run.output);
        assert.deepEqual(readdirSync(corruptDir), [], "nothing ran");
    });

    it("refuses settings that are not plain words", () => {
        assert.throws(() => inlineBashCommand("true", { DR_KEEP_DAYS: "7; rm -rf /" }), /plain word/);
    });
});
