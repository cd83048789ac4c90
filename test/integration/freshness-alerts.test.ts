// The freshness alerts against the real Prometheus tools: promtool checks the rendered rule groups
// as Prometheus would load them, and runs, for every path, unit tests generated from its rendered
// alerts (test/support/freshness-scenarios.ts) on the series kube-state-metrics and the drill
// export — each alert fires once its path is stale, failing, suspended, disabled or missing, and
// is silent while the path is healthy.
import { strict as assert } from "node:assert";
import { budgetSeconds } from "../../components/monitoring/paths";
import { ruleGroups } from "../../components/monitoring/rules-spec";
import { PROMETHEUS_RULE_TYPE } from "../../contracts/monitoring";
import { promtoolTests } from "../support/freshness-scenarios";
import { alertsOf, resolveMonitored } from "../support/monitoring";
import { planJson, PROJECT_DIR } from "../support/plan-cli";
import { ProcessResult } from "../support/process";
import { promtool } from "../support/promtool";

describe("freshness alerts, with promtool", () => {
    const alerts = alertsOf(resolveMonitored());
    const paths = [...new Set(alerts.map((alert) => alert.path))];

    it("has a path of every kind: the dump, each offsite copy, each snapshot set, the drill and its result", () => {
        assert.deepEqual(
            paths.map((path) => path.id),
            [
                "postgresql-dump",
                "postgresql-offsite",
                "s3-offsite",
                "agents-offsite",
                "snapshot-s3",
                "snapshot-agents",
                "snapshot-postgresql-data",
                "snapshot-postgresql-dump",
                "snapshot-redis",
                "postgresql-drill",
            ],
        );
        assert.deepEqual([...new Set(alerts.map((alert) => alert.signal))].sort(), [
            "disabled",
            "failed",
            "missing",
            "never-succeeded",
            "result-failed",
            "result-missing",
            "result-stale",
            "stale",
            "suspended",
        ]);
    });

    it("promtool check rules accepts the rendered groups", async () => {
        const result = await promtool(["check", "rules", "rules.yaml"], { "rules.yaml": { groups: ruleGroups(alerts) } });
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, new RegExp(`SUCCESS: ${alerts.length} rules found`));
    });

    // One promtool per path, all at once: each is a single-threaded process.
    const runs = new Map<string, Promise<ProcessResult>>();
    before(() => {
        for (const path of paths) {
            const own = alerts.filter((alert) => alert.path === path);
            runs.set(
                path.id,
                promtool(["test", "rules", "tests.yaml"], { "rules.yaml": { groups: ruleGroups(own) }, "tests.yaml": promtoolTests(own, "rules.yaml") }),
            );
        }
    });

    for (const path of paths) {
        const hours = Math.round(budgetSeconds(path) / 360) / 10;
        it(`${path.id}: every alert fires when the path goes wrong (stale after ${hours} h), none while it is healthy (promtool test rules)`, async () => {
            const result = await runs.get(path.id)!;
            assert.equal(result.code, 0, result.stdout + result.stderr);
            assert.match(result.stdout, /SUCCESS/);
        });
    }

    it("fails a generated test when a threshold does not match the path's budget (the tests can fail)", async () => {
        const stale = alerts.find((alert) => alert.path.id === "postgresql-dump" && alert.signal === "stale")!;
        const loose = { ...stale, rule: { ...stale.rule, expr: stale.rule.expr.replace(/> \d+$/, `> ${budgetSeconds(stale.path) + 3600}`) } };
        const result = await promtool(["test", "rules", "tests.yaml"], {
            "rules.yaml": { groups: ruleGroups([loose]) },
            "tests.yaml": promtoolTests([loose], "rules.yaml"),
        });
        assert.equal(result.code, 1, result.stdout);
        assert.match(result.stdout + result.stderr, /QalitaDrPostgresqlDumpStale/);
    });
});

describe("the dev plan's PrometheusRule (its schema: test/plan/manifest-schemas.test.ts)", () => {
    it("holds rule groups promtool accepts", async () => {
        const step = planJson("dev", PROJECT_DIR).steps.find((s: any) => s.newState.type === PROMETHEUS_RULE_TYPE);
        assert.ok(step, "Pulumi.dev.yaml enables monitoring");
        const result = await promtool(["check", "rules", "rules.yaml"], { "rules.yaml": { groups: step.newState.inputs.spec.groups } });
        assert.equal(result.code, 0, result.stdout + result.stderr);
    });
});
