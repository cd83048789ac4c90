/**
 * The alerting rules of every PrometheusRule in a stack, and which protection path each watches:
 * an alert labelled `signal: stale` with the namespace and the name of the path's CronJob or
 * SnapshotSchedule (contracts/monitoring.ts) — the stack's own rule or anyone's written to it.
 */
import { COMPONENT_LABEL, PART_OF, PART_OF_LABEL } from "../../contracts/labels";
import { ALERT_LABELS, FRESHNESS_SIGNAL, MONITORING_COMPONENT, PROMETHEUS_RULE_TYPE } from "../../contracts/monitoring";
import { PlanResource } from "../../contracts/preview";
import type { ProtectionPath } from "./protection-paths";
import { labelsOf } from "./resources";

export interface FoundAlert {
    readonly alert: string;
    readonly labels: Readonly<Record<string, unknown>>;
}

/** The stack's own freshness alerts (qalita-dr:monitoring.enabled): the stack opted into being watched. */
export function isStackAlertRule(resource: PlanResource): boolean {
    const labels = labelsOf(resource);
    return resource.type === PROMETHEUS_RULE_TYPE && labels[PART_OF_LABEL] === PART_OF && labels[COMPONENT_LABEL] === MONITORING_COMPONENT;
}

export function alertsIn(resources: readonly PlanResource[]): FoundAlert[] {
    const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
    return resources
        .filter((resource) => resource.type === PROMETHEUS_RULE_TYPE)
        .flatMap((resource) => list(resource.props?.spec?.groups).flatMap((group) => list(group?.rules)))
        .filter((rule) => typeof rule?.alert === "string")
        .map((rule) => ({ alert: rule.alert, labels: typeof rule.labels === "object" && rule.labels !== null ? rule.labels : {} }));
}

/** The labels an alert needs to say it watches the path's freshness. */
export function freshnessLabels(path: ProtectionPath): Record<string, string | undefined> {
    return {
        [ALERT_LABELS.signal]: FRESHNESS_SIGNAL,
        [ALERT_LABELS.namespace]: path.namespace,
        [path.kind === "CronJob" ? ALERT_LABELS.cronjob : ALERT_LABELS.snapshotSchedule]: path.name,
    };
}

export function watchesFreshness(alert: FoundAlert, path: ProtectionPath): boolean {
    return Object.entries(freshnessLabels(path)).every(([key, value]) => value !== undefined && alert.labels[key] === value);
}
