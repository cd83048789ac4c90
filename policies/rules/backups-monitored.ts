/**
 * backups-monitored — every protection path (the PostgreSQL dump, each offsite copy, each
 * SnapshotSchedule) has a freshness alert: a backup that silently stops is found at restore time
 * otherwise. Advisory, since alerting may live outside the stack; mandatory once the stack deploys
 * its own freshness alerts (qalita-dr:monitoring.enabled), which must then leave no path out.
 */
import { alertsIn, freshnessLabels, isStackAlertRule, watchesFreshness } from "../lib/freshness-alerts";
import { protectionPaths } from "../lib/protection-paths";
import { RuleDefinition } from "../lib/resources";

export const backupsMonitored: RuleDefinition = {
    name: "backups-monitored",
    description:
        "Every protection path (PostgreSQL dump, offsite copy, SnapshotSchedule) has a freshness alert in a PrometheusRule. Advisory; mandatory when the stack deploys its freshness alerts.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediation:
        "Set qalita-dr:monitoring.enabled: true (the stack deploys a PrometheusRule with a freshness alert per protection path), or add an alert labelled with the path's signal: stale, element, mechanism and object to your own rules (docs/monitoring.md).",
    mandatoryWhen: (resources) => resources.some(isStackAlertRule),
    check(resources) {
        const alerts = alertsIn(resources);
        const fix = resources.some(isStackAlertRule)
            ? "add one: the stack's own rule (qalita-dr:monitoring) leaves this path out"
            : "set qalita-dr:monitoring.enabled: true, or add one";
        return protectionPaths(resources)
            .filter((path) => !alerts.some((alert) => watchesFreshness(alert, path)))
            .map((path) => {
                const object = `${path.kind} ${path.namespace ?? "(namespace unknown)"}/${path.name ?? "(name unknown)"}`;
                const labels = Object.entries(freshnessLabels(path))
                    .map(([key, value]) => `${key}: ${value ?? "?"}`)
                    .join(", ");
                return {
                    urn: path.urn,
                    message: `${path.element} (${path.mechanism}): nothing alerts when ${object} stops succeeding — no PrometheusRule alert labelled { ${labels} }; ${fix} (docs/monitoring.md)`,
                };
            });
    },
};
