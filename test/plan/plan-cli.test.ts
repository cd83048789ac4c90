import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { plan, planJson, policy, PROJECT_DIR, STACK_FIXTURES } from "../support/plan-cli";

describe("npm run plan (offline plan contract)", () => {
    let devPlan: any;
    before(() => {
        devPlan = planJson("dev", PROJECT_DIR);
    });

    it("prints the posture table and resource counts for the dev stack", () => {
        const result = plan(["--stack", "dev", "--format", "table"]);
        assert.equal(result.status, 0, result.stderr);
        for (const element of ["postgresql", "s3", "agents", "redis", "frontend", "backend"]) assert.match(result.stdout, new RegExp(`│ ${element} `));
        assert.match(result.stdout, /pg_dump CronJob/);
        assert.match(result.stdout, /kubernetes:helm\.sh\/v3:Release\s+│ 1/);
    });

    it("emits preview-shaped JSON with the stack outputs on the Stack step", () => {
        assert.equal(devPlan.changeSummary.create, devPlan.steps.length);
        const stack = devPlan.steps.find((step: any) => step.newState.type === "pulumi:pulumi:Stack");
        const posture = stack.newState.outputs.drPosture;
        assert.deepEqual(
            posture.map((row: any) => row.element),
            ["postgresql", "s3", "agents", "redis", "frontend", "backend"],
        );
        const postgres = posture[0];
        assert.deepEqual(Object.keys(postgres).sort(), [
            "criticality",
            "destination",
            "element",
            "mechanisms",
            "paths",
            "restore",
            "retentionDays",
            "rpoHours",
            "schedule",
        ]);
        // The hourly snapshot of the data PVC gives the best RPO; the daily dump is the portable path.
        assert.equal(postgres.rpoHours, 1);
        assert.deepEqual(
            postgres.paths.map((path: any) => [path.mechanism, path.rpoHours]),
            [
                ["pg-dump", 31],
                ["offsite-copy", 32],
                // The weekly drill restores the cold copy: its worst case, measured every Saturday.
                ["restore-drill", 32],
                ["volume-snapshot", 1],
                ["volume-snapshot", 25],
            ],
        );
        for (const step of devPlan.steps) {
            assert.equal(step.op, "create");
            assert.equal(step.urn, step.newState.urn);
            if (step.newState.type !== "pulumi:pulumi:Stack") assert.ok(step.newState.parent, `${step.urn} has a parent`);
        }
    });

    it("parents component children under their component, and components under the stack", () => {
        const byUrn = new Map(devPlan.steps.map((step: any) => [step.urn, step.newState]));
        const release = devPlan.steps.find((step: any) => step.newState.type === "kubernetes:helm.sh/v3:Release").newState;
        assert.equal((byUrn.get(release.parent) as any).type, "qalita-dr:qalita:Release");
        assert.match(release.urn, /qalita-dr:qalita:Release\$kubernetes:helm\.sh\/v3:Release::qalita-release$/);
    });

    it("passes the policy pack, through a pipe as through a file", () => {
        const result = policy(["/dev/stdin"], JSON.stringify(devPlan));
        assert.equal(result.status, 0, result.stdout + result.stderr);
        const file = join(mkdtempSync(join(tmpdir(), "qalita-dr-plan-")), "plan.json");
        writeFileSync(file, JSON.stringify(devPlan));
        assert.equal(policy([file]).status, 0);
    });

    it("writes Kubernetes objects and the values overlay as YAML with --out", () => {
        const out = mkdtempSync(join(tmpdir(), "qalita-dr-out-"));
        const result = plan(["--stack", "dev", "--out", out]);
        assert.equal(result.status, 0, result.stderr);
        const files = readdirSync(out);
        assert.ok(files.includes("qalita-values.yaml"));
        const schedule = parse(readFileSync(join(out, "qalita_snapshotschedule_qalita-dr-s3.yaml"), "utf8"));
        assert.equal(schedule.kind, "SnapshotSchedule");
        assert.equal(schedule.apiVersion, "snapscheduler.backube/v1");
        const values = parse(readFileSync(join(out, "qalita-values.yaml"), "utf8"));
        assert.equal(values.postgresql.backup.enabled, true);
        // Only manifests an API server accepts: no placeholder for a secret or an unknown value.
        for (const file of files.filter((f) => f.endsWith(".yaml"))) {
            const text = readFileSync(join(out, file), "utf8");
            assert.ok(
                !text.includes("[secret]") && !text.includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9") && !/123456789012/.test(text),
                `${file} holds a placeholder`,
            );
        }
        const notWritten = readFileSync(join(out, "NOT-WRITTEN.txt"), "utf8");
        assert.match(notWritten, /qalita_secret_qalita-dr-agents-crypt\.yaml\n {2}stringData: a secret/);
        assert.match(notWritten, /qalita_cronjob_qalita-dr-postgresql-offsite\.yaml\n {2}.*env\[DR_DEST_KMS_KEY_ARN\]\.value: known only after pulumi up/);
    });

    it("in adoption mode prints the exact commands that bring this stack's installed release in", () => {
        const result = plan(["--stack", "adopt", "--config-dir", STACK_FIXTURES]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^Adopting the installed release qalita\/qalita/);
        assert.match(result.stdout, /helm -n qalita get values qalita -o yaml > qalita-values\.installed\.yaml/);
        assert.match(result.stdout, /npm run adopt-values -- qalita-values\.installed\.yaml --stack adopt/);
        assert.match(result.stdout, /pulumi up --stack adopt --policy-pack policies/);
        assert.doesNotMatch(plan(["--stack", "dev", "--format", "table"]).stdout, /Adopting/);
    });

    it("--out into the same directory again removes what it wrote before; a directory of other files is refused", () => {
        const out = mkdtempSync(join(tmpdir(), "qalita-dr-out-"));
        const first = plan(["--stack", "restore-cold", "--config-dir", STACK_FIXTURES, "--out", out]);
        assert.equal(first.status, 0, first.stderr);
        // The restore's objects: its ConfigMap is written, its Job (the bucket's key ARN) listed as not written.
        assert.ok(readdirSync(out).includes("qalita_configmap_qalita-dr-restore-scripts.yaml"), readdirSync(out).join(", "));
        assert.match(readFileSync(join(out, "NOT-WRITTEN.txt"), "utf8"), /qalita_job_qalita-dr-restore-latest\.yaml/);
        const second = plan(["--stack", "dev", "--out", out]);
        assert.equal(second.status, 0, second.stderr);
        assert.ok(!readdirSync(out).includes("qalita_configmap_qalita-dr-restore-scripts.yaml"), "the stale restore's files are gone");
        assert.doesNotMatch(readFileSync(join(out, "NOT-WRITTEN.txt"), "utf8"), /restore/);

        const foreign = mkdtempSync(join(tmpdir(), "qalita-dr-foreign-"));
        writeFileSync(join(foreign, "README.md"), "mine\n");
        const refused = plan(["--stack", "dev", "--out", foreign]);
        assert.equal(refused.status, 2, "a directory that is not the plan's to write is a misused --out");
        assert.match(refused.stderr, /holds files this plan did not write/);
        assert.deepEqual(readdirSync(foreign), ["README.md"]);
    });

    it("exits 1 on invalid config, listing all four problems with their keys and no steps", () => {
        const result = plan(["--stack", "broken", "--json", "--config-dir", STACK_FIXTURES]);
        assert.equal(result.status, 1);
        assert.equal(result.stdout, "", "no steps printed");
        assert.match(result.stderr, /qalita-dr:elements\.postgresql\.schedule: "0 2 \* \*" has 4 fields/);
        assert.match(result.stderr, /qalita-dr:elements\.s3\.retentionDays: .*write retentionDays: 14 or more/);
        assert.match(result.stderr, /qalita-dr:elements\.agents\.retentionDay: unknown key "retentionDay"; did you mean "retentionDays"\?/);
        assert.match(result.stderr, /qalita-dr:elements\.mongodb: unknown element "mongodb"/);
        assert.match(result.stderr, /\(4 problems\)/);
    });

    it("refuses a disabled critical element unless the risk is accepted", () => {
        const refused = plan(["--stack", "pg-off", "--config-dir", STACK_FIXTURES]);
        assert.equal(refused.status, 1);
        assert.match(refused.stderr, /qalita-dr:elements\.postgresql\.enabled: postgresql is critical/);
    });

    it("plans an accepted risk, which the policy pack still reports as violated", () => {
        const accepted = planJson("pg-off-accepted");
        const result = policy(["/dev/stdin", "--json"], JSON.stringify(accepted));
        assert.equal(result.status, 1);
        const report = JSON.parse(result.stdout);
        assert.equal(report.passed, false);
        // The chart still runs PostgreSQL: its data PVC is unprotected too.
        assert.deepEqual(
            [...new Set(report.violations.map((violation: any) => violation.policy))],
            // backups-monitored: advisory (no monitoring in this stack), each remaining path unwatched.
            ["dr-posture-complete", "postgres-backup-enabled", "pvc-snapshot-scheduled", "backups-monitored"],
        );
        assert.match(report.violations[0].message, /^postgresql \(critical\)/);
    });

    it("pins QALITA's secrets without ever showing them", () => {
        const text = JSON.stringify(devPlan);
        const release = devPlan.steps.find((step: any) => step.newState.type === "kubernetes:helm.sh/v3:Release").newState;
        assert.equal(release.inputs.valueYamlFiles, "[secret]");
        const pinnedPasswords = (plan: any) =>
            plan.steps.filter((step: any) => step.newState.type === "random:index/randomPassword:RandomPassword" && /PinnedSecrets/.test(step.urn)).length;
        assert.equal(pinnedPasswords(devPlan), 4);
        assert.doesNotMatch(text, /mock-qalita-secrets/, "no generated value in the plan");
        const adopted = plan(["--stack", "adopt-secrets", "--json", "--config-dir", STACK_FIXTURES]);
        assert.equal(adopted.status, 0, adopted.stderr);
        assert.doesNotMatch(adopted.stdout + adopted.stderr, /ZmFrZS1jaXBoZXJ0ZXh0|c2VjcmV0LWtleS1jaXBoZXI/);
        const adoptedPlan = JSON.parse(adopted.stdout);
        assert.equal(adoptedPlan.config["qalita-dr:secrets"], "[secret]");
        assert.equal(pinnedPasswords(adoptedPlan), 3, "the adopted key is not generated");
    });

    it("exits 2 when the file is not a preview", () => {
        assert.equal(policy(["/dev/stdin"], '{"hello": 1}').status, 2);
        assert.equal(policy(["/dev/stdin"], "not json").status, 2);
        assert.equal(policy([]).status, 2);
    });
});
