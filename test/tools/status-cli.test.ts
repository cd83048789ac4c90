// npm run status against a cluster: a stand-in kubectl on PATH replays the objects recorded in
// test/fixtures/status/ (test/support/stand-in-kubectl.ts) and records how it is called. Most
// scenarios run the command in-process at the recorded instant; one runs it as users do, in a child
// process, at the real now with the recorded times moved to it.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CliIo } from "../../tools/cli";
import { statusCliIn } from "../../tools/status";
import { KUBECTL_INSTALL_HINT } from "../../tools/status/kubectl";
import { PROJECT_DIR } from "../support/plan-cli";
import { Answers, fixture, item, LIVE_STACK_ARGS, RECORDED_AT, recordedAnswers, shiftTimes, standInKubectl, StandInKubectl } from "../support/stand-in-kubectl";

interface Run {
    code: number;
    stdout: string;
    stderr: string;
    kubectl: StandInKubectl;
}

const standIns: StandInKubectl[] = [];
after(() => standIns.forEach((standIn) => standIn.remove()));

/** The command in-process, at RECORDED_AT, against the given answers (plain tables: not a terminal). */
async function status(answers: Answers, args: string[] = [], stderr: Record<string, string> = {}, columns?: number): Promise<Run> {
    const kubectl = standInKubectl(answers, stderr);
    standIns.push(kubectl);
    let stdout = "";
    let errors = "";
    const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (errors += text), stdin: () => "", columns };
    const code = await statusCliIn(() => ({ env: kubectl.env, now: RECORDED_AT }))([...LIVE_STACK_ARGS, ...args], io);
    return { code, stdout, stderr: errors, kubectl };
}

const line = (stdout: string, text: string) => stdout.split("\n").find((candidate) => candidate.includes(text)) ?? "";
const pathJson = (run: Run, id: string) => JSON.parse(run.stdout).paths.find((path: any) => path.id === id);

describe("npm run status (tools/status.ts) with a stand-in kubectl", () => {
    it("all fresh: exit 0, every path ok with its age and budget, the last drill's RTO and RPO; one kubectl get per resource", async () => {
        const run = await status(recordedAnswers());
        assert.equal(run.code, 0, run.stderr);
        assert.match(
            line(run.stdout, "CronJob qalita-postgresql-pgdumpall"),
            /^postgresql\s+critical\s+PostgreSQL dump \(CronJob qalita-postgresql-pgdumpall\)\s+7\.6 h ago\s+26 h\s+ok/,
        );
        assert.match(
            line(run.stdout, "SnapshotSchedule qalita-dr-s3"),
            /^\s+snapshots of the s3 PVCs \(SnapshotSchedule qalita-dr-s3\)\s+150\.7 h ago\s+171 h\s+ok/,
        );
        assert.match(line(run.stdout, "CronJob qalita-dr-drill-postgresql"), /ok\s+last drill: success, RTO 7 min 9 s, RPO 3 h$/);
        assert.match(run.stdout, /Last restore drill \(ConfigMap qalita\/qalita-dr-drill-status; docs\/drills\.md\)/);
        assert.match(
            line(run.stdout, "20260314T020000Z"),
            /success\s+20260314T020000Z from cold\s+3 h\s+7 min 9 s \(41\.3 s \+ 6 min 28 s\)\s+205\.4 MiB\s+37\s+0\s+0/,
        );
        assert.match(run.stdout, /all 9 protection paths within budget\nnot backed up: redis \(off\), frontend \(not needed\), backend \(not needed\)\n$/);
        assert.deepEqual(run.kubectl.calls(), [
            ["get", "cronjobs.batch", "--namespace", "qalita", "--output", "json"],
            ["get", "jobs.batch", "--namespace", "qalita", "--output", "json"],
            ["get", "snapshotschedules.snapscheduler.backube", "--namespace", "qalita", "--output", "json"],
            ["get", "configmaps", "--namespace", "qalita", "--output", "json", "--field-selector", "metadata.name=qalita-dr-drill-status"],
        ]);
    });

    it("on a terminal, boxed tables fitted to its width", async () => {
        const run = await status(recordedAnswers(), [], {}, 120);
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stdout.split("\n").every((text) => text.length <= 120));
        assert.match(run.stdout, /┌─/);
        const markdown = await status(recordedAnswers(), ["--format", "markdown"]);
        assert.equal(markdown.code, 0, markdown.stderr);
        assert.match(markdown.stdout, /^\| element \|/m);
        assert.doesNotMatch(markdown.stdout, /┌─/);
    });

    it("the dump past its budget: exit 1, the path named stale with how far over", async () => {
        const answers = recordedAnswers();
        item(answers, "cronjobs.batch", "qalita-postgresql-pgdumpall").status.lastSuccessfulTime = "2026-03-13T06:41:07Z";
        const run = await status(answers);
        assert.equal(run.code, 1);
        assert.match(line(run.stdout, "CronJob qalita-postgresql-pgdumpall"), /27 h ago\s+26 h\s+stale\s+1 h over budget: docs\/monitoring\.md#stale/);
        assert.match(run.stdout, /1 of 9 protection paths need attention: PostgreSQL dump \(stale\)/);
    });

    it("last night's dump failed: failing, naming the Job, its reason and the command for its logs", async () => {
        const answers = recordedAnswers();
        const dump = item(answers, "cronjobs.batch", "qalita-postgresql-pgdumpall");
        dump.status.lastSuccessfulTime = "2026-03-13T02:07:30Z";
        const lastNight = "qalita-postgresql-pgdumpall-29557560";
        answers["jobs.batch"].items = answers["jobs.batch"].items.filter((job: any) => job.metadata.name !== lastNight);
        answers["jobs.batch"].items.push(fixture("job-dump-failed.json"));
        const run = await status(answers, ["--json"]);
        assert.equal(run.code, 1);
        const path = pathJson(run, "postgresql-dump");
        assert.equal(path.status, "failing");
        assert.match(
            path.detail,
            /^Job qalita-postgresql-pgdumpall-29557560 failed \(started 7\.7 h ago\), BackoffLimitExceeded: .*kubectl -n qalita logs job\/qalita-postgresql-pgdumpall-29557560/,
        );
    });

    it("a suspended offsite CronJob: exit 1, suspended, with the command that resumes it", async () => {
        const answers = recordedAnswers();
        item(answers, "cronjobs.batch", "qalita-dr-s3-offsite").spec.suspend = true;
        const run = await status(answers);
        assert.equal(run.code, 1);
        assert.match(
            line(run.stdout, "CronJob qalita-dr-s3-offsite"),
            /150 h ago\s+171 h\s+suspended\s+spec\.suspend: true, nothing runs; kubectl -n qalita patch cronjob qalita-dr-s3-offsite/,
        );
    });

    it("a SnapshotSchedule that never ran: exit 1, never succeeded, no age", async () => {
        const answers = recordedAnswers();
        delete item(answers, "snapshotschedules.snapscheduler.backube", "qalita-dr-postgresql-data").status.lastSnapshotTime;
        const run = await status(answers, ["--json"]);
        assert.equal(run.code, 1);
        const path = pathJson(run, "snapshot-postgresql-data");
        assert.deepEqual([path.status, path.ageSeconds, path.lastSuccess, path.budgetSeconds], ["never succeeded", null, null, 7200]);
        assert.equal(JSON.parse(run.stdout).healthy, false);
    });

    it("a failed drill: exit 1, the drill's path failing with the drill's reason, in both tables", async () => {
        const answers = { ...recordedAnswers(), configmaps: fixture("configmaps.drill-failed.json") };
        const run = await status(answers);
        assert.equal(run.code, 1);
        assert.match(line(run.stdout, "CronJob qalita-dr-drill-postgresql"), /failing\s+last drill failed: row counts differ/);
        assert.match(
            line(run.stdout, "20260314T020000Z"),
            /^failure .* 1\s+0\s+row counts differ .*public\.analysis_results: 184210 rows recorded, 184176 restored$/,
        );
        assert.match(run.stdout, /need attention: PostgreSQL restore drill \(failing\)/);
    });

    it("no drill status ConfigMap: the drill's CronJob is judged alone (exit 0), and the table says why there are no measures", async () => {
        const answers = recordedAnswers();
        answers.configmaps.items = [];
        const run = await status(answers, ["--json"]);
        assert.equal(run.code, 0, run.stderr);
        const drill = JSON.parse(run.stdout).drill;
        assert.deepEqual([drill.result, drill.rtoSeconds, drill.rpoSeconds], [null, null, null]);
        assert.match(drill.none, /^no ConfigMap qalita\/qalita-dr-drill-status: no drill has finished yet/);
        assert.equal(pathJson(run, "postgresql-drill").status, "ok");
    });

    it("an object not in the cluster is missing; without snapscheduler's CRD, every SnapshotSchedule is", async () => {
        const answers = recordedAnswers();
        answers["cronjobs.batch"].items = answers["cronjobs.batch"].items.filter((cronJob: any) => cronJob.metadata.name !== "qalita-dr-agents-offsite");
        delete answers["snapshotschedules.snapscheduler.backube"];
        const run = await status(answers, ["--json"]);
        assert.equal(run.code, 1);
        assert.equal(pathJson(run, "agents-offsite").status, "missing");
        assert.match(pathJson(run, "agents-offsite").detail, /no CronJob qalita\/qalita-dr-agents-offsite in the cluster: pulumi up deploys it/);
        assert.match(pathJson(run, "snapshot-s3").detail, /snapscheduler is not installed/);
    });

    it("passes --context and --kubeconfig to every kubectl call", async () => {
        const run = await status(recordedAnswers(), ["--context", "prod-eu", "--kubeconfig", "/etc/qalita/kubeconfig"]);
        assert.equal(run.code, 0, run.stderr);
        for (const call of run.kubectl.calls()) assert.deepEqual(call.slice(-4), ["--context", "prod-eu", "--kubeconfig", "/etc/qalita/kubeconfig"]);
    });

    it("kubectl failing: exit 2, its stderr's first line first", async () => {
        const refused = [
            'E0314 09:41:07.512873   48211 memcache.go:265] couldn\'t get current server API group list: Get "https://10.0.0.12:6443/api?timeout=32s": dial tcp 10.0.0.12:6443: connect: connection refused',
            "The connection to the server 10.0.0.12:6443 was refused - did you specify the right host or port?",
        ].join("\n");
        const run = await status(recordedAnswers(), [], { "cronjobs.batch": refused });
        assert.equal(run.code, 2);
        assert.equal(run.stderr.split("\n")[0], refused.split("\n")[0]);
        assert.match(run.stderr, /kubectl get cronjobs\.batch --namespace qalita --output json failed/);
        assert.equal(run.stdout, "");
    });

    it("misuse: exit 2 naming the flag, then the usage; --help prints the usage, exit 0; an unknown stack says what to write", async () => {
        const bad = await status(recordedAnswers(), ["--since", "1h"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^unknown flag --since\n\nusage: npm run status -- \[options\]/);
        const help = await status(recordedAnswers(), ["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /--kubeconfig FILE/);
        const unknown = await status(recordedAnswers(), ["--stack", "nope"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /no stack file .*Pulumi\.nope\.yaml; create it/);
        assert.deepEqual(unknown.kubectl.calls(), [], "nothing is read from a cluster for a stack that doesn't exist");
    });
});

describe("npm run status without kubectl", () => {
    it("exit 2, saying how to install it", async () => {
        const noKubectl = mkdtempSync(join(tmpdir(), "qalita-dr-no-kubectl-"));
        try {
            let stdout = "";
            let stderr = "";
            const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), stdin: () => "" };
            const code = await statusCliIn(() => ({ env: { PATH: noKubectl }, now: RECORDED_AT }))(LIVE_STACK_ARGS, io);
            assert.equal(code, 2, stdout);
            assert.equal(stderr, `${KUBECTL_INSTALL_HINT}\n`);
        } finally {
            rmSync(noKubectl, { recursive: true, force: true });
        }
    });
});

describe("npm run status as a process", () => {
    let result: { code: number | null; stdout: string; stderr: string };
    let kubectl: StandInKubectl;

    /** `npm run status` runs ts-node --swc tools/status.ts: the same, with node by its path (PATH holds only kubectl). */
    const run = (env: NodeJS.ProcessEnv, args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
            const bin = resolve(PROJECT_DIR, "node_modules/ts-node/dist/bin.js");
            const child = spawn(process.execPath, [bin, "--swc", resolve(PROJECT_DIR, "tools/status.ts"), ...args], { cwd: PROJECT_DIR, env });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
            child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
            child.on("error", fail);
            child.on("close", (code) => done({ code, stdout, stderr }));
        });

    before(async () => {
        // The recorded cluster as it would be now: every time moved by the same amount.
        kubectl = standInKubectl(shiftTimes(recordedAnswers(), Date.now() - RECORDED_AT.getTime()));
        result = await run(kubectl.env, LIVE_STACK_ARGS);
    });
    after(() => kubectl.remove());

    it("a fresh cluster: exit 0, every path ok", () => {
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /all 9 protection paths within budget/);
        assert.equal(kubectl.calls().length, 4);
    });
});
