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

    it("plans an accepted risk, which the policy pack reports as advisory with its reason (exit 0)", () => {
        const accepted = planJson("pg-off-accepted");
        const reason = "the database is being migrated to a managed service with its own backups";
        // The stack records the risk in the cluster, with its reason.
        const marker = accepted.steps.find((step: any) => step.newState.type === "kubernetes:core/v1:ConfigMap" && /accepted-risk/.test(step.urn)).newState;
        assert.deepEqual(marker.inputs.metadata.labels["dr.qalita.io/accepted-risk"], "element-disabled");
        assert.equal(marker.inputs.metadata.annotations["dr.qalita.io/accepted-risk-reason"], reason);
        const result = policy(["/dev/stdin", "--json"], JSON.stringify(accepted));
        assert.equal(result.status, 0, result.stdout + result.stderr);
        const report = JSON.parse(result.stdout);
        assert.equal(report.passed, true);
        // The chart still runs PostgreSQL: its data PVC is unprotected too — all reported, none silent.
        const covered = report.violations.filter((violation: any) => violation.acceptedRisk);
        assert.deepEqual(
            covered.map((violation: any) => violation.policy),
            ["dr-posture-complete", "postgres-backup-enabled", "pvc-snapshot-scheduled"],
        );
        for (const violation of covered) {
            assert.equal(violation.enforcementLevel, "advisory");
            assert.equal(violation.acceptedRisk.reason, reason);
            assert.ok(violation.message.endsWith(`risk accepted (qalita-dr:elements.postgresql.acceptRisk): ${reason}`), violation.message);
        }
        assert.match(covered[0].message, /^postgresql \(critical\)/);
        assert.deepEqual(
            report.violations.filter((violation: any) => violation.enforcementLevel === "mandatory"),
            [],
        );
        // The text report shows the reason too.
        assert.match(
            policy(["/dev/stdin"], JSON.stringify(accepted)).stdout,
            /advisory dr-posture-complete: .*\n .*risk accepted .*migrated to a managed service/,
        );
    });

    it("still fails the same plan when the risk is not recorded as accepted", () => {
        const accepted = planJson("pg-off-accepted");
        const unaccepted = { ...accepted, steps: accepted.steps.filter((step: any) => !/accepted-risk/.test(step.urn)) };
        const result = policy(["/dev/stdin", "--json"], JSON.stringify(unaccepted));
        assert.equal(result.status, 1);
        const report = JSON.parse(result.stdout);
        assert.deepEqual(
            [...new Set(report.violations.filter((violation: any) => violation.enforcementLevel === "mandatory").map((violation: any) => violation.policy))],
            ["dr-posture-complete", "postgres-backup-enabled", "pvc-snapshot-scheduled"],
        );
    });

    it("shows an accepted looser schedule's reason in the posture table, and the pack passes it as advisory", () => {
        const table = plan(["--stack", "s3-monthly-accepted", "--config-dir", STACK_FIXTURES, "--format", "plain"]);
        assert.equal(table.status, 0, table.stderr);
        assert.match(table.stdout, /risk accepted: archive-only SeaweedFS, its buckets are rebuilt from the sources/);
        const result = policy(["/dev/stdin", "--json"], JSON.stringify(planJson("s3-monthly-accepted")));
        assert.equal(result.status, 0, result.stdout + result.stderr);
        const looser = JSON.parse(result.stdout).violations.filter((violation: any) => violation.policy === "pvc-snapshot-scheduled");
        assert.ok(looser.length > 0);
        for (const violation of looser) {
            assert.equal(violation.enforcementLevel, "advisory");
            assert.equal(violation.acceptedRisk.kind, "schedule-looser");
        }
    });

    it("fails the dev plan without its bucket lifecycle, naming cold-storage-lifecycle-complete", () => {
        const withoutLifecycle = {
            ...devPlan,
            steps: devPlan.steps.filter((step: any) => step.newState.type !== "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
        };
        assert.equal(withoutLifecycle.steps.length, devPlan.steps.length - 1);
        const result = policy(["/dev/stdin"], JSON.stringify(withoutLifecycle));
        assert.equal(result.status, 1, result.stdout);
        assert.match(
            result.stdout,
            /mandatory cold-storage-lifecycle-complete: .*Bucket::cold-storage-bucket\n +bucket qalita-dr-dev receives backups under "agents\/", "postgresql\/", "s3\/" but has no lifecycle configuration/,
        );
    });

    it("refuses a retention beyond what snapscheduler and S3 take, naming the key and the maximum", () => {
        const dir = mkdtempSync(join(tmpdir(), "qalita-dr-bounds-"));
        writeFileSync(
            join(dir, "Pulumi.huge.yaml"),
            readFileSync(join(STACK_FIXTURES, "Pulumi.pg-off-accepted.yaml"), "utf8").replace(
                /postgresql:\n(.*\n)*/,
                "s3:\n      retentionDays: 99999999999\n",
            ),
        );
        const result = plan(["--stack", "huge", "--json", "--config-dir", dir]);
        assert.equal(result.status, 1, result.stderr);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /qalita-dr:elements\.s3\.retentionDays: write a whole number of days from 1 to 106751/);
    });

    it("--json gives each rule's severity, documentation link and remediation, on every violation too", () => {
        const report = JSON.parse(policy(["/dev/stdin", "--json"], JSON.stringify(planJson("pg-off-accepted"))).stdout);
        assert.deepEqual(
            report.ruleDetails.map((rule: any) => rule.name),
            report.rules,
        );
        for (const rule of report.ruleDetails) {
            assert.match(rule.severity, /^(low|medium|high|critical)$/);
            assert.equal(rule.url, `docs/policies.md#${rule.name}`);
            assert.ok(rule.remediation.length > 0 && rule.description.length > 0, rule.name);
        }
        for (const violation of report.violations) {
            const rule = report.ruleDetails.find((candidate: any) => candidate.name === violation.policy);
            assert.deepEqual([violation.severity, violation.url, violation.remediation], [rule.severity, rule.url, rule.remediation]);
        }
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
