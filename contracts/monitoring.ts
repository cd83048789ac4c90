/**
 * The freshness alerts' contract: the PrometheusRule's type, the labels each alert carries, and
 * the metrics the alerts read. The stack renders them (components/monitoring/), the policy pack
 * reads them to tell which protection path an alert watches (policies/rules/backups-monitored.ts),
 * the restore drill pushes the drill metrics, and docs/monitoring.md explains each signal under an
 * anchor of the signal's own name.
 */
import type { Criticality } from "./elements";

export const PROMETHEUS_RULE_TYPE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
/** `app.kubernetes.io/component` of the stack's PrometheusRule: seeing it, the pack makes backups-monitored mandatory. */
export const MONITORING_COMPONENT = "backup-monitoring";

/** What an alert says about its path; also the runbook's anchor (docs/monitoring.md#<signal>). */
export const SIGNALS = ["stale", "failed", "suspended", "never-succeeded", "missing", "disabled", "result-failed", "result-stale", "result-missing"] as const;
export type Signal = (typeof SIGNALS)[number];
/** The newest backup of the path is older than its budget: the alert backups-monitored requires of every path. */
export const FRESHNESS_SIGNAL: Signal = "stale";

/** Labels every alert carries besides its expression's (Prometheus label names: no dots, no slashes). */
export const ALERT_LABELS = {
    element: "element",
    criticality: "criticality",
    severity: "severity",
    mechanism: "mechanism",
    signal: "signal",
    namespace: "namespace",
    /** The watched CronJob, as kube-state-metrics labels it. */
    cronjob: "cronjob",
    /** The watched SnapshotSchedule, as the CustomResourceStateMetrics config labels it. */
    snapshotSchedule: "snapshotschedule",
} as const;

export type Severity = "critical" | "warning" | "info";
/** Alertmanager routes by severity: a critical element pages, a moderate one warns, a low one informs. */
export const SEVERITY: Readonly<Record<Exclude<Criticality, "none">, Severity>> = { critical: "critical", moderate: "warning", low: "info" };

/** snapscheduler 3.5 exports no metrics: kube-state-metrics turns `status.lastSnapshotTime` into this gauge (Unix seconds). */
export const SNAPSHOT_LAST_TIME_METRIC = "kube_customresource_snapshotschedule_last_snapshot_time";
/** …and `spec.disabled` into this one (1 when disabled). */
export const SNAPSHOT_DISABLED_METRIC = "kube_customresource_snapshotschedule_disabled";

/** What a restore drill pushes to the Pushgateway, labelled `element`: 1 when the restore and its checks passed. */
export const DRILL_SUCCESS_METRIC = "qalita_dr_drill_success";
/** …and when it ran (Unix seconds), whatever the outcome. */
export const DRILL_LAST_RUN_METRIC = "qalita_dr_drill_last_run_timestamp_seconds";
