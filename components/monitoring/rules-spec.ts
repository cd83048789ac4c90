/**
 * The freshness alerts of the monitored paths (paths.ts), as Prometheus alerting rules: for each
 * path, the alerts its kind of object allows — each named after the path and the signal, labelled
 * with the element, its criticality and the severity it maps to, and annotated with what fired,
 * the threshold and where it comes from, and the runbook anchor of docs/monitoring.md. Pure.
 */
import { ALERT_LABELS, SEVERITY, Signal } from "../../contracts/monitoring";
import { formatHours } from "../../config/schedule";
import { budgetSeconds, MonitoredPath } from "./paths";
import { cronJobExpr, drillResultExpr, snapshotScheduleExpr } from "./promql";

/** One rule of a Prometheus rule file (and of a PrometheusRule's spec.groups[].rules). */
export interface AlertingRule {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
    readonly name: string;
    readonly rules: readonly AlertingRule[];
}

/** An alert and what it watches: the rule, and the facts a test or a table needs about it. */
export interface FreshnessAlert {
    readonly path: MonitoredPath;
    readonly signal: Signal;
    readonly rule: AlertingRule;
}

const CRONJOB_SIGNALS: readonly Signal[] = ["stale", "failed", "suspended", "never-succeeded", "missing"];
const SNAPSHOT_SIGNALS: readonly Signal[] = ["stale", "disabled", "missing"];
const DRILL_RESULT_SIGNALS: readonly Signal[] = ["result-failed", "result-stale", "result-missing"];

/** A Job retries a failed pod after a backoff of at most 6 min: a failure that lasts 10 min is not a retry. */
const FAILED_FOR_MINUTES = 10;

export function signalsOf(path: MonitoredPath): Signal[] {
    const own = path.watches.kind === "CronJob" ? CRONJOB_SIGNALS : SNAPSHOT_SIGNALS;
    return [...own, ...(path.pushesResult ? DRILL_RESULT_SIGNALS : [])];
}

const pascal = (words: string) =>
    words
        .split("-")
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join("");

/** `QalitaDrPostgresqlDumpStale`, `QalitaDrSnapshotPostgresqlDataMissing`. */
export function alertName(path: MonitoredPath, signal: Signal): string {
    return `QalitaDr${pascal(path.id)}${pascal(signal)}`;
}

/** Every alert of the paths, path by path. */
export function freshnessAlerts(paths: readonly MonitoredPath[], options: { readonly runbookBaseUrl: string }): FreshnessAlert[] {
    return paths.flatMap((path) => signalsOf(path).map((signal) => ({ path, signal, rule: alertingRule(path, signal, options.runbookBaseUrl) })));
}

/** One group per element, in path order: Prometheus evaluates groups in parallel, rules of a group in order. */
export function ruleGroups(alerts: readonly FreshnessAlert[]): RuleGroup[] {
    const elements = [...new Set(alerts.map((alert) => alert.path.element))];
    return elements.map((element) => ({
        name: `qalita-dr.${element}.freshness`,
        rules: alerts.filter((alert) => alert.path.element === element).map((alert) => alert.rule),
    }));
}

function alertingRule(path: MonitoredPath, signal: Signal, runbookBaseUrl: string): AlertingRule {
    const budget = budgetSeconds(path);
    const expr = signal.startsWith("result-")
        ? drillResultExpr(signal, path.element, budget)
        : path.watches.kind === "CronJob"
          ? cronJobExpr(signal, path.watches, budget)
          : snapshotScheduleExpr(signal, path.watches, budget);
    const forMinutes = forOf(path, signal);
    return {
        alert: alertName(path, signal),
        expr,
        ...(forMinutes ? { for: promDuration(forMinutes) } : {}),
        labels: labelsOf(path, signal),
        annotations: { ...words(path, signal), runbook_url: `${runbookBaseUrl}monitoring.md#${signal}` },
    };
}

/** How long a condition must hold: a staleness or a failed result is already definitive. */
function forOf(path: MonitoredPath, signal: Signal): number {
    switch (signal) {
        case "failed":
            return FAILED_FOR_MINUTES;
        case "never-succeeded":
            return path.runAllowanceMinutes;
        // A CronJob is reported as soon as it exists; a SnapshotSchedule's time and a drill's result
        // only after the first snapshot or drill, up to a whole budget later.
        case "missing":
            return path.watches.kind === "CronJob" ? path.graceMinutes : Math.round(budgetSeconds(path) / 60);
        case "result-missing":
            return Math.round(budgetSeconds(path) / 60);
        case "suspended":
        case "disabled":
            return path.graceMinutes;
        default:
            return 0;
    }
}

/** The path's labels; the object's too, so that the policy pack can tell which object an alert watches. */
function labelsOf(path: MonitoredPath, signal: Signal): Record<string, string> {
    const labels: Record<string, string> = {
        [ALERT_LABELS.element]: path.element,
        [ALERT_LABELS.criticality]: path.criticality,
        [ALERT_LABELS.severity]: SEVERITY[path.criticality],
        [ALERT_LABELS.mechanism]: path.mechanism,
        [ALERT_LABELS.signal]: signal,
    };
    // A drill's result is labelled by element only (what the drill pushes).
    if (signal.startsWith("result-")) return labels;
    labels[ALERT_LABELS.namespace] = path.watches.namespace;
    labels[path.watches.kind === "CronJob" ? ALERT_LABELS.cronjob : ALERT_LABELS.snapshotSchedule] = path.watches.name;
    return labels;
}

function words(path: MonitoredPath, signal: Signal): { summary: string; description: string } {
    const { kind, namespace, name } = path.watches;
    const object = `${kind} ${namespace}/${name}`;
    const after = minutesInWords(Math.round(budgetSeconds(path) / 60));
    const budget = `${after} (${path.gapWords}, plus ${minutesInWords(path.graceMinutes)} of grace for a ${path.criticality} element)`;
    const held = `for ${minutesInWords(forOf(path, signal))}`;
    const drill = `the ${path.title}`;
    const summaries: Record<Signal, [string, string]> = {
        stale: [`${path.title}: no success for ${after}`, `${object} has not succeeded for more than ${budget}.`],
        failed: [`${path.title}: its last run failed`, `A Job of ${object} failed after the CronJob's last success (kubectl -n ${namespace} get jobs).`],
        suspended: [`${path.title} is suspended`, `${object} has been suspended (spec.suspend) ${held}: nothing runs.`],
        disabled: [`${path.title} are disabled`, `${object} has been disabled (spec.disabled) ${held}: no snapshot is taken.`],
        "never-succeeded": [`${path.title} has never succeeded`, `${object} has been scheduled but has never succeeded, ${held}.`],
        missing:
            kind === "CronJob"
                ? [
                      `${path.title}: CronJob not found`,
                      `kube-state-metrics has not reported ${object} ${held}: it does not exist, or CronJobs are not exported.`,
                  ]
                : [
                      `${path.title}: no snapshot time reported`,
                      `kube-state-metrics has reported no lastSnapshotTime of ${object} ${held}: no snapshot was ever taken, or its CustomResourceStateMetrics config is not installed.`,
                  ],
        "result-failed": [`${path.title} failed`, `The last run of ${drill} pushed success 0: the dump did not restore, or a check failed.`],
        "result-stale": [`${path.title}: no result for ${after}`, `No run of ${drill} has pushed a result for more than ${budget}.`],
        "result-missing": [
            `${path.title}: no result reported`,
            `Prometheus has had no result of ${drill} ${held}: it never pushed one, or the Pushgateway is not scraped.`,
        ],
    };
    const [summary, description] = summaries[signal];
    return { summary, description };
}

/** 90 → "90 min", 120 → "2 h", 2880 → "2 days". */
function minutesInWords(minutes: number): string {
    return minutes % 60 === 0 ? formatHours(minutes / 60) : `${minutes} min`;
}

/** Minutes as Prometheus writes durations: "90m", "2h", "7d". */
export function promDuration(minutes: number): string {
    if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)}d`;
    if (minutes % 60 === 0) return `${minutes / 60}h`;
    return `${Math.round(minutes)}m`;
}
