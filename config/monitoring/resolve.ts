/**
 * `qalita-dr:monitoring` resolved into the MonitoringSpec the freshness alerts are built from
 * (components/monitoring/): where the PrometheusRule goes, the labels the Prometheus operator
 * selects it by, and each criticality's grace in minutes.
 */
import { COMPONENT_LABEL, PART_OF_LABEL } from "../../contracts/labels";
import type { Problem } from "../../contracts/problem";
import { configKey } from "../problems";
import type { MonitoringSpec } from "../spec";
import { GRACE_CRITICALITIES, RawMonitoring } from "./schema";

/** kube-prometheus-stack's Prometheus selects rules labelled with its release name (ruleSelectorNilUsesHelmValues). */
export const DEFAULT_RULE_LABELS: Readonly<Record<string, string>> = { release: "kube-prometheus-stack" };
/**
 * A critical path runs often (hourly snapshots, a daily dump) and a missed run should page soon;
 * a weekly bucket copy may run for hours; a monthly one can wait half a day.
 */
export const DEFAULT_GRACE: Readonly<Record<(typeof GRACE_CRITICALITIES)[number], string>> = { critical: "1h", moderate: "3h", low: "12h" };
/** Relative to the repository: set runbookBaseUrl to where your fork publishes docs/. */
export const DEFAULT_RUNBOOK_BASE_URL = "docs/";

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

/** "90m" → 90, "2h" → 120, "1d" → 1440 (the schema admits nothing else). */
export function durationMinutes(duration: string): number {
    return Number(duration.slice(0, -1)) * UNIT_MINUTES[duration.slice(-1)];
}

export function resolveMonitoring(raw: RawMonitoring | undefined, inputs: { readonly namespace: string }): { spec: MonitoringSpec; problems: Problem[] } {
    const config = raw ?? {};
    const problems: Problem[] = [];
    const ruleLabels = config.ruleLabels ?? DEFAULT_RULE_LABELS;
    // The policy pack recognises the stack's own rule by these: a user value would hide it.
    for (const key of [PART_OF_LABEL, COMPONENT_LABEL].filter((label) => label in ruleLabels)) {
        problems.push({
            key: configKey(["monitoring", "ruleLabels", key]),
            message: `${key} is set by the stack (the policy pack finds its rule by it); remove it and select the rule by another label, e.g. release: kube-prometheus-stack`,
        });
    }
    const grace = { ...DEFAULT_GRACE, ...config.grace };
    return {
        spec: {
            enabled: config.enabled ?? false,
            namespace: config.namespace ?? inputs.namespace,
            ruleLabels,
            graceMinutes: {
                critical: durationMinutes(grace.critical),
                moderate: durationMinutes(grace.moderate),
                low: durationMinutes(grace.low),
            },
            runbookBaseUrl: config.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL,
        },
        problems,
    };
}
