/**
 * `qalita-dr:monitoring` resolved into the MonitoringSpec the freshness alerts are built from
 * (components/monitoring/): where the PrometheusRule goes, the labels the Prometheus operator
 * selects it by, and each criticality's grace in minutes.
 */
import { COMPONENT_LABEL, PART_OF_LABEL } from "../../contracts/labels";
import { BLINDED } from "../../contracts/preview";
import type { Problem } from "../../contracts/problem";
import { configKey, NAMESPACE } from "../problems";
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

/**
 * A ping URL the scripts can append `/fail` to and pass to curl and rclone as it is: https (it is
 * a credential), no query or fragment, no quote, space or backslash.
 */
const HEARTBEAT_URL = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~%@+=,:-]+)+\/?$/;
const HEARTBEAT_SET = "pulumi config set --secret --path monitoring.heartbeatUrl";

/** What is wrong with a configured heartbeat URL, if anything; `secret` undefined: not known. */
function heartbeatProblem(url: string, secret: boolean | undefined): string | undefined {
    if (secret === false) {
        return `the heartbeat URL is a credential (whoever has it can ping the check, and so silence it) and it is set in plain text: run pulumi config rm --path monitoring.heartbeatUrl, then ${HEARTBEAT_SET} '<url>'`;
    }
    // Offline, a secret reads as a placeholder: its form is checked where it is decrypted.
    if (url === BLINDED) return undefined;
    const ends = /\/(fail|start|log)\/?$/.exec(url)?.[1];
    if (ends) return `write the check's ping URL itself, without /${ends}: the jobs add /fail to it when they fail (${HEARTBEAT_SET} '<url>')`;
    if (!HEARTBEAT_URL.test(url)) {
        return `write the https:// ping URL of a healthchecks.io-style check, without query or fragment, e.g. https://hc-ping.com/<uuid> or https://hc.example.com/ping/<ping-key>/<slug> (${HEARTBEAT_SET} '<url>')`;
    }
    return undefined;
}

export interface MonitoringInputs {
    readonly namespace: string;
    /**
     * Fully qualified config keys Pulumi holds as secrets (`pulumi config set --secret --path
     * monitoring.…` makes `qalita-dr:monitoring` one); undefined: not known, nothing checked.
     */
    readonly secretKeys?: readonly string[];
}

export function resolveMonitoring(raw: RawMonitoring | undefined, inputs: MonitoringInputs): { spec: MonitoringSpec; problems: Problem[] } {
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
    if (config.heartbeatUrl !== undefined) {
        const problem = heartbeatProblem(config.heartbeatUrl, inputs.secretKeys?.includes(`${NAMESPACE}:monitoring`));
        if (problem) problems.push({ key: configKey(["monitoring", "heartbeatUrl"]), message: problem });
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
            heartbeat: config.heartbeatUrl !== undefined,
        },
        problems,
    };
}
