// The freshness alerts in the offline plan: the dev stack (Pulumi.dev.yaml enables monitoring)
// plans the PrometheusRule, shows each path's alerts, writes the kube-prometheus-stack values for
// the SnapshotSchedule metrics with --out, and passes backups-monitored — mandatory there — until
// a path loses its stale alert.
import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { PROMETHEUS_RULE_TYPE } from "../../contracts/monitoring";
import { plan, planJson, planJsonArgs, policy, PROJECT_DIR, STACK_FIXTURES } from "../support/plan-cli";

describe("npm run plan with qalita-dr:monitoring", () => {
    let devPlan: any;
    let outputs: any;
    before(() => {
        devPlan = planJson("dev", PROJECT_DIR);
        outputs = devPlan.steps.find((step: any) => step.newState.type === "pulumi:pulumi:Stack").newState.outputs;
    });

    it("plans one PrometheusRule, labelled for kube-prometheus-stack and as the stack's", () => {
        const rules = devPlan.steps.filter((step: any) => step.newState.type === PROMETHEUS_RULE_TYPE);
        assert.equal(rules.length, 1);
        const { metadata } = rules[0].newState.inputs;
        assert.deepEqual(metadata, {
            name: "qalita-dr-backup-freshness",
            namespace: "qalita",
            labels: { release: "kube-prometheus-stack", "app.kubernetes.io/component": "backup-monitoring", "app.kubernetes.io/part-of": "qalita-dr" },
        });
        assert.equal(outputs.freshnessAlertRule, "qalita-dr-backup-freshness");
    });

    it("shows every protection path's alerts, in drPosture and in the table", () => {
        const paths = outputs.drPosture.flatMap((row: any) => row.paths);
        assert.ok(paths.length > 0 && paths.every((path: any) => path.monitoring?.alerts.length > 0));
        const text = plan(["--stack", "dev", "--format", "table"]);
        assert.equal(text.status, 0, text.stderr);
        assert.match(text.stdout, /Freshness alerts \(PrometheusRule qalita-dr-backup-freshness; docs\/monitoring\.md\)/);
        assert.match(text.stdout, /CronJob\s+│ 26 h\s+│ QalitaDrPostgresqlDumpStale/);
        const off = plan(["--stack", "restore-cold", "--config-dir", STACK_FIXTURES]);
        assert.match(off.stdout, /Freshness alerts: none \(qalita-dr:monitoring\.enabled: true deploys them/);
    });

    it("writes the rule and the kube-prometheus-stack values for the SnapshotSchedule metrics with --out", () => {
        const out = mkdtempSync(join(tmpdir(), "qalita-dr-out-"));
        const result = plan(["--stack", "dev", "--out", out]);
        assert.equal(result.status, 0, result.stderr);
        const files = readdirSync(out);
        const rule = parse(readFileSync(join(out, "qalita_prometheusrule_qalita-dr-backup-freshness.yaml"), "utf8"));
        assert.equal(rule.apiVersion, "monitoring.coreos.com/v1");
        assert.equal(rule.kind, "PrometheusRule");
        assert.ok(files.includes("kube-prometheus-stack-values.yaml"), files.join(", "));
        const values = readFileSync(join(out, "kube-prometheus-stack-values.yaml"), "utf8");
        assert.equal(values, outputs.kubeStateMetricsValuesYaml);
        assert.equal(parse(values)["kube-state-metrics"].customResourceState.config.kind, "CustomResourceStateMetrics");
    });

    it("keeps the heartbeat URL a secret: a Secret whose data the plan blinds; refused as plain config", () => {
        const secure = planJson("heartbeat", STACK_FIXTURES);
        const secrets = secure.steps.filter((step: any) => step.newState.inputs.metadata?.name === "qalita-dr-heartbeat");
        assert.deepEqual(
            secrets.map((step: any) => [step.newState.type, step.newState.inputs.metadata.namespace, step.newState.inputs.stringData]),
            [["kubernetes:core/v1:Secret", "qalita", "[secret]"]],
        );
        assert.equal(secure.config["qalita-dr:monitoring"], "[secret]");
        assert.ok(!JSON.stringify(secure).includes("aGMtcGluZy1jaXBoZXJ0ZXh0"), "not even the ciphertext");
        assert.equal(
            devPlan.steps.filter((step: any) => step.newState.inputs.metadata?.name === "qalita-dr-heartbeat").length,
            0,
            "no URL, no Secret (the pods read it optionally)",
        );
        const plain = plan(planJsonArgs("heartbeat-plain", STACK_FIXTURES));
        assert.equal(plain.status, 1, plain.stdout);
        assert.match(
            plain.stderr,
            /qalita-dr:monitoring\.heartbeatUrl: the heartbeat URL is a credential .* pulumi config set --secret --path monitoring\.heartbeatUrl/,
        );
        assert.ok(!plain.stdout.includes("0f9d4e6a"), "the refused URL is not echoed in a plan");
    });

    it("passes backups-monitored, mandatory here, and fails it naming the path whose stale alert is dropped", () => {
        const passed = JSON.parse(policy(["-", "--json"], JSON.stringify(devPlan)).stdout);
        assert.ok(passed.rules.includes("backups-monitored"));
        assert.deepEqual(
            passed.violations.filter((v: any) => v.policy === "backups-monitored"),
            [],
        );
        const edited = structuredClone(devPlan);
        const rule = edited.steps.find((step: any) => step.newState.type === PROMETHEUS_RULE_TYPE).newState.inputs;
        for (const group of rule.spec.groups) group.rules = group.rules.filter((r: any) => r.alert !== "QalitaDrSnapshotS3Stale");
        const result = policy(["-", "--json"], JSON.stringify(edited));
        assert.equal(result.status, 1);
        const violations = JSON.parse(result.stdout).violations;
        assert.deepEqual(
            violations.map((v: any) => [v.policy, v.enforcementLevel]),
            [["backups-monitored", "mandatory"]],
        );
        assert.match(violations[0].urn, /SnapshotSchedule::snapshots-s3-schedule$/);
        assert.match(violations[0].message, /SnapshotSchedule qalita\/qalita-dr-s3/);
    });
});
