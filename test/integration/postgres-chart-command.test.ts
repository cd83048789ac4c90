// The dump command exactly as the stack puts it in the release values, rendered the way Bitnami
// 12.12.10's template renders it (`- {{ . }}`, unquoted), then run against real PostgreSQL 15.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { inlineBashCommand } from "../../components/postgresql/inline-command";
import { releaseValues } from "../../components/qalita-release/values";
import { resolveWithWorker } from "../support/config";
import { PgCluster, startPgCluster } from "../support/pg-cluster";

/** What `command: {{- range .Values.backup.cronjob.command }} - {{ . }} {{- end }}` yields. */
function renderLikeTheChart(command: string[]): string[] {
    return parse(`command:\n${command.map((item) => `- ${item}`).join("\n")}\n`).command;
}

describe("PostgreSQL dump command through the Bitnami chart template", () => {
    let cluster: PgCluster;
    const dirs: string[] = [];
    const scratch = (prefix: string) => dirs[dirs.push(mkdtempSync(join(tmpdir(), prefix))) - 1];
    after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
    before(async () => {
        cluster = await startPgCluster({ name: "chart-command", settings: { fsync: "off" } });
        await cluster.psql("CREATE DATABASE qalitadb");
        await cluster.psql("CREATE TABLE sources (id serial primary key, name text); INSERT INTO sources (name) SELECT 'source ' || i FROM generate_series(1, 500) i", "qalitadb");
    });
    after(async () => cluster?.destroy());

    it("survives the chart's unquoted rendering and dumps with the configured settings", () => {
        const spec = resolveWithWorker({ elements: { postgresql: { dump: { keepDays: 5, keepMin: 2, jobs: 1 } } } });
        const command = (releaseValues(spec) as any).postgresql.backup.cronjob.command as string[];
        const rendered = renderLikeTheChart(command);
        assert.deepEqual(rendered, command);
        const dumpDir = scratch("dr-chart-");
        chmodSync(dumpDir, 0o777);
        const run = spawnSync(rendered[0], rendered.slice(1), { env: cluster.env({ PGDUMP_DIR: dumpDir }), encoding: "utf8" });
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /jobs=1/);
        const [dumpId] = readdirSync(dumpDir).filter((name) => /^\d{8}T\d{6}Z$/.test(name));
        assert.ok(dumpId, `a complete dump in ${readdirSync(dumpDir).join(", ")}`);
        assert.match(readFileSync(join(dumpDir, dumpId, "MANIFEST.sha256"), "utf8"), /databases\/.*qalitadb/);
    });

    it("fails, running nothing, when the encoded payload is corrupt", () => {
        const [bash, flag, line] = inlineBashCommand("touch /tmp/should-not-exist-$$; exit 0");
        const corrupt = line.replace(/printf %s (\S{10})/, "printf %s AAAA$1");
        const run = spawnSync(bash, [flag, corrupt], { encoding: "utf8" });
        assert.notEqual(run.status, 0);
    });

    it("refuses settings that are not plain words", () => {
        assert.throws(() => inlineBashCommand("true", { DR_KEEP_DAYS: "7; rm -rf /" }), /plain word/);
    });
});
