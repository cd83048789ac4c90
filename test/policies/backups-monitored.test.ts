import { strict as assert } from "node:assert";
import { ruleGroups } from "../../components/monitoring/rules-spec";
import { drLabels } from "../../contracts/labels";
import { MONITORING_COMPONENT, PROMETHEUS_RULE_TYPE } from "../../contracts/monitoring";
import { PlanResource } from "../../contracts/preview";
import { toStackPolicies } from "../../policies/lib/crossguard";
import { evaluate } from "../../policies/lib/evaluate";
import { backupsMonitored } from "../../policies/rules/backups-monitored";
import { alertsOf, resolveMonitored } from "../support/monitoring";

const STACK: PlanResource = { urn: "urn:pulumi:dev::qalita-dr::pulumi:pulumi:Stack::qalita-dr-dev", type: "pulumi:pulumi:Stack", props: {} };
const RELEASE: PlanResource = {
    urn: "urn:pulumi:dev::qalita-dr::qalita-dr:qalita:Release$kubernetes:helm.sh/v3:Release::qalita-release",
    type: "kubernetes:helm.sh/v3:Release",
    props: { chart: "qalita", name: "qalita", namespace: "qalita", values: { postgresql: { backup: { enabled: true } } } },
};
function labelled(type: string, name: string, element: "s3" | "agents" | "postgresql", mechanism: "offsite-copy" | "volume-snapshot", spec = {}): PlanResource {
    return {
        urn: `urn:pulumi:dev::qalita-dr::${type}::${name}`,
        type,
        props: { metadata: { name, namespace: "qalita", labels: drLabels(element, mechanism) }, spec },
    };
}
const copy = labelled("kubernetes:batch/v1:CronJob", "qalita-dr-s3-offsite", "s3", "offsite-copy");
const schedule = labelled("kubernetes:snapscheduler.backube/v1:SnapshotSchedule", "qalita-dr-agents", "agents", "volume-snapshot");
// Their ServiceAccount carries the labels too: it supports a path, it is none.
const account = labelled("kubernetes:core/v1:ServiceAccount", "qalita-dr-s3-offsite", "s3", "offsite-copy");

function prometheusRule(rules: { alert: string; labels: Record<string, string> }[], ours = true): PlanResource {
    const labels = ours ? { release: "kube-prometheus-stack", ...drLabels({ component: MONITORING_COMPONENT }) } : { release: "kube-prometheus-stack" };
    return {
        urn: `urn:pulumi:dev::qalita-dr::${PROMETHEUS_RULE_TYPE}::${ours ? "monitoring-rule" : "team-rule"}`,
        type: PROMETHEUS_RULE_TYPE,
        props: {
            metadata: { name: "alerts", namespace: "qalita", labels },
            spec: { groups: [{ name: "g", rules: rules.map((rule) => ({ ...rule, expr: "vector(1)" })) }] },
        },
    };
}
const stale = (kind: "cronjob" | "snapshotschedule", name: string) => ({
    alert: `${name}Stale`,
    labels: { signal: "stale", namespace: "qalita", [kind]: name },
});
const ALL_STALE = [stale("cronjob", "qalita-postgresql-pgdumpall"), stale("cronjob", "qalita-dr-s3-offsite"), stale("snapshotschedule", "qalita-dr-agents")];
const stack = (...more: PlanResource[]) => [STACK, RELEASE, copy, account, schedule, ...more];

describe("policy backups-monitored", () => {
    it("passes when every path — the release's dump, the copy CronJob, the SnapshotSchedule — has a stale alert on its object", () => {
        assert.deepEqual(backupsMonitored.check(stack(prometheusRule(ALL_STALE))), []);
        // Anyone's PrometheusRule counts, not only the stack's.
        assert.deepEqual(backupsMonitored.check(stack(prometheusRule(ALL_STALE, false))), []);
    });

    it("fails each path without one, naming its object and the labels to use; advisory without the stack's rule", () => {
        const violations = evaluate([backupsMonitored], stack());
        assert.deepEqual(
            violations.map((violation) => violation.urn),
            [RELEASE.urn, copy.urn, schedule.urn],
        );
        assert.ok(violations.every((violation) => violation.enforcementLevel === "advisory"));
        assert.equal(
            violations[0].message,
            "postgresql (pg-dump): nothing alerts when CronJob qalita/qalita-postgresql-pgdumpall stops succeeding — no PrometheusRule alert labelled { signal: stale, namespace: qalita, cronjob: qalita-postgresql-pgdumpall }; set qalita-dr:monitoring.enabled: true, or add one (docs/monitoring.md)",
        );
        assert.match(violations[2].message, /SnapshotSchedule qalita\/qalita-dr-agents .* snapshotschedule: qalita-dr-agents/);
    });

    it("is mandatory once the stack deploys its own rule, and then fails a path the rule leaves out", () => {
        const violations = evaluate([backupsMonitored], stack(prometheusRule(ALL_STALE.slice(0, 2))));
        assert.equal(violations.length, 1);
        assert.equal(violations[0].enforcementLevel, "mandatory");
        assert.equal(violations[0].urn, schedule.urn);
        assert.match(violations[0].message, /the stack's own rule \(qalita-dr:monitoring\) leaves this path out/);
    });

    it("does not take another signal, another namespace or a disabled schedule's absence for freshness", () => {
        const suspendedOnly = { alert: "x", labels: { signal: "suspended", namespace: "qalita", cronjob: "qalita-dr-s3-offsite" } };
        const otherNamespace = { alert: "y", labels: { signal: "stale", namespace: "other", cronjob: "qalita-dr-s3-offsite" } };
        const found = backupsMonitored.check([STACK, copy, prometheusRule([suspendedOnly, otherNamespace])]);
        assert.deepEqual(
            found.map((violation) => violation.urn),
            [copy.urn],
        );
        const disabled = labelled("kubernetes:snapscheduler.backube/v1:SnapshotSchedule", "qalita-dr-s3", "s3", "volume-snapshot", { disabled: true });
        assert.deepEqual(backupsMonitored.check([STACK, disabled]), [], "a disabled schedule protects nothing to watch");
    });

    it("passes the rules the stack renders, and fails a path once its stale alert is dropped from them", () => {
        const alerts = alertsOf(resolveMonitored());
        const rule = (kept: typeof alerts) => ({ ...prometheusRule([]), props: { ...prometheusRule([]).props, spec: { groups: ruleGroups(kept) } } });
        assert.deepEqual(backupsMonitored.check(stack(rule(alerts))), []);
        const withoutCopy = alerts.filter((alert) => alert.rule.alert !== "QalitaDrS3OffsiteStale");
        const violations = evaluate([backupsMonitored], stack(rule(withoutCopy)));
        assert.deepEqual(
            violations.map((violation) => [violation.urn, violation.enforcementLevel]),
            [[copy.urn, "mandatory"]],
        );
    });

    it("becomes two CrossGuard policies, one level each: backups-monitored (mandatory) and backups-monitored-advisory", () => {
        const policies = toStackPolicies(backupsMonitored);
        assert.deepEqual(
            policies.map((policy) => [policy.name, policy.enforcementLevel]),
            [
                ["backups-monitored", "mandatory"],
                ["backups-monitored-advisory", "advisory"],
            ],
        );
        const reported = (resources: PlanResource[]) =>
            policies.map((policy) => {
                const messages: string[] = [];
                const args = { resources: resources.map((resource) => ({ ...resource, parent: undefined })) } as any;
                (policy as any).validateStack(args, (message: string) => messages.push(message));
                return messages.length;
            });
        assert.deepEqual(reported(stack()), [0, 3]);
        assert.deepEqual(reported(stack(prometheusRule(ALL_STALE.slice(1)))), [1, 0]);
    });
});
