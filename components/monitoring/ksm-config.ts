/**
 * snapscheduler 3.5 exports no metrics, so the SnapshotSchedules' freshness comes from
 * kube-state-metrics: a CustomResourceStateMetrics config (kube-state-metrics
 * docs/metrics/extend/customresourcestate-metrics.md) that turns `status.lastSnapshotTime` (an
 * RFC 3339 time, read as Unix seconds) and `spec.disabled` into gauges labelled like the alerts
 * expect. Rendered as the kube-prometheus-stack values that install it: the config under
 * `kube-state-metrics.customResourceState.config`, and the RBAC to list and watch the schedules.
 */
import { stringify } from "yaml";
import { ALERT_LABELS, SNAPSHOT_DISABLED_METRIC, SNAPSHOT_LAST_TIME_METRIC } from "../../contracts/monitoring";

/** kube-state-metrics names a metric `<metricNamePrefix>_<name>`. */
const PREFIX = "kube_customresource_snapshotschedule";
const metricName = (full: string) => full.slice(PREFIX.length + 1);

export function snapshotScheduleMetricsConfig(): Record<string, unknown> {
    return {
        kind: "CustomResourceStateMetrics",
        spec: {
            resources: [
                {
                    groupVersionKind: { group: "snapscheduler.backube", version: "v1", kind: "SnapshotSchedule" },
                    metricNamePrefix: PREFIX,
                    labelsFromPath: { namespace: ["metadata", "namespace"], [ALERT_LABELS.snapshotSchedule]: ["metadata", "name"] },
                    metrics: [
                        {
                            name: metricName(SNAPSHOT_LAST_TIME_METRIC),
                            help: "Unix time of the newest snapshot the SnapshotSchedule took (status.lastSnapshotTime).",
                            each: { type: "Gauge", gauge: { path: ["status", "lastSnapshotTime"] } },
                            // A new schedule has no lastSnapshotTime until its first snapshot: no series, not an error worth logging.
                            errorLogV: 4,
                        },
                        {
                            name: metricName(SNAPSHOT_DISABLED_METRIC),
                            help: "1 when the SnapshotSchedule is disabled (spec.disabled).",
                            each: { type: "Gauge", gauge: { path: ["spec", "disabled"], nilIsZero: true } },
                        },
                    ],
                },
            ],
        },
    };
}

/** The kube-prometheus-stack values overlay (merge it into yours: helm replaces lists such as extraRules whole). */
export function kubePrometheusStackValues(): Record<string, unknown> {
    return {
        "kube-state-metrics": {
            rbac: {
                extraRules: [
                    { apiGroups: ["snapscheduler.backube"], resources: ["snapshotschedules"], verbs: ["list", "watch"] },
                    // kube-state-metrics resolves custom resources through their CRDs.
                    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
                ],
            },
            customResourceState: { enabled: true, config: snapshotScheduleMetricsConfig() },
        },
    };
}

export function kubePrometheusStackValuesYaml(): string {
    return `# kube-prometheus-stack values: SnapshotSchedule metrics for qalita-dr's freshness alerts (docs/monitoring.md)\n${stringify(kubePrometheusStackValues())}`;
}
