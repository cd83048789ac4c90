/**
 * promtool rule unit tests generated from the rendered freshness alerts of one path
 * (components/monitoring/rules-spec.ts): the series kube-state-metrics (or the drill, through the
 * Pushgateway) would export for a healthy path and for each way it goes wrong, and what each alert
 * must then say — silent when the path is healthy, firing with its rendered labels and annotations
 * once its condition has held past its budget or its `for`, silent just before.
 */
import { budgetSeconds } from "../../components/monitoring/paths";
import type { FreshnessAlert } from "../../components/monitoring/rules-spec";
import { DRILL_LAST_RUN_METRIC, DRILL_SUCCESS_METRIC, Signal, SNAPSHOT_DISABLED_METRIC, SNAPSHOT_LAST_TIME_METRIC } from "../../contracts/monitoring";

/**
 * Sample and evaluation step, in seconds: short enough for the critical paths' hour-long budgets,
 * an hour for paths whose budget is days (a month of 5-minute samples would take promtool long).
 */
function stepOf(alerts: readonly FreshnessAlert[]): number {
    return Math.max(...alerts.map((alert) => budgetSeconds(alert.path))) > 48 * 3600 ? 3600 : 300;
}

type Series = Record<string, { value: "now" | number }>;
interface Check {
    readonly at: number;
    readonly alert: FreshnessAlert;
    readonly fires: boolean;
}
interface Scenario {
    readonly name: string;
    readonly series: Series;
    readonly checks: readonly Check[];
}

const selector = (metric: string, labels: Record<string, string>) =>
    `${metric}{${Object.entries({ job: "kube-state-metrics", ...labels })
        .map(([key, value]) => `${key}="${value}"`)
        .join(",")}}`;
const forSeconds = (alert: FreshnessAlert) => {
    const match = /^(\d+)([mhd])$/.exec(alert.rule.for ?? "0m");
    return Number(match![1]) * { m: 60, h: 3600, d: 86400 }[match![2] as "m" | "h" | "d"];
};
const upTo = (step: number) => (seconds: number) => Math.ceil(seconds / step) * step;

/** The series of a healthy path: every success, snapshot or drill result is fresh at every instant. */
function healthy(alert: FreshnessAlert, step: number): Series {
    const { kind, namespace, name } = alert.path.watches;
    const series: Series = {};
    if (kind === "CronJob") {
        const cronJob = { namespace, cronjob: name };
        series[selector("kube_cronjob_info", { ...cronJob, schedule: "@every" })] = { value: 1 };
        series[selector("kube_cronjob_created", cronJob)] = { value: 0 };
        series[selector("kube_cronjob_spec_suspend", cronJob)] = { value: 0 };
        series[selector("kube_cronjob_status_last_schedule_time", cronJob)] = { value: "now" };
        series[selector("kube_cronjob_status_last_successful_time", cronJob)] = { value: "now" };
        // A job that failed once, before later successes: over.
        Object.assign(series, job(alert, `${name}-1`, { start: step, failed: true, active: false }));
    } else {
        const schedule = { namespace, snapshotschedule: name };
        series[selector(SNAPSHOT_LAST_TIME_METRIC, schedule)] = { value: "now" };
        series[selector(SNAPSHOT_DISABLED_METRIC, schedule)] = { value: 0 };
    }
    if (alert.path.pushesResult) {
        series[selector(DRILL_SUCCESS_METRIC, { element: alert.path.element })] = { value: 1 };
        series[selector(DRILL_LAST_RUN_METRIC, { element: alert.path.element })] = { value: "now" };
    }
    return series;
}

function job(alert: FreshnessAlert, jobName: string, state: { start: number; failed: boolean; active: boolean }): Series {
    const { namespace, name } = alert.path.watches;
    const ofJob = { namespace, job_name: jobName };
    return {
        [selector("kube_job_owner", { ...ofJob, owner_kind: "CronJob", owner_name: name, owner_is_controller: "true" })]: { value: 1 },
        [selector("kube_job_status_start_time", ofJob)]: { value: state.start },
        [state.failed ? selector("kube_job_status_failed", { ...ofJob, reason: "BackoffLimitExceeded" }) : selector("kube_job_status_failed", ofJob)]: {
            value: state.failed ? 1 : 0,
        },
        [selector("kube_job_status_active", ofJob)]: { value: state.active ? 1 : 0 },
    };
}

/** The healthy series with `edit` applied: a key set to undefined removes that series. */
function variant(alert: FreshnessAlert, step: number, edit: (series: Series) => Record<string, { value: "now" | number } | undefined>): Series {
    const edited = { ...healthy(alert, step), ...edit(healthy(alert, step)) };
    return Object.fromEntries(Object.entries(edited).filter(([, value]) => value !== undefined)) as Series;
}

const pick = (series: Series, metric: string) => Object.keys(series).filter((key) => key.startsWith(`${metric}{`));
const set = (keys: string[], value: "now" | number | undefined) => Object.fromEntries(keys.map((key) => [key, value === undefined ? undefined : { value }]));

/** The scenario in which `alert` must fire, and the instants to check it at. */
function broken(alert: FreshnessAlert, step: number): Scenario {
    const up = upTo(step);
    const held = up(forSeconds(alert));
    const budget = budgetSeconds(alert.path);
    // Pending from the first evaluation: one step later it fires only if its `for` is that short.
    const fireAfter = (seconds: number) => [
        { at: step, alert, fires: forSeconds(alert) <= step },
        { at: up(seconds) + 2 * step, alert, fires: true },
    ];
    const beforeAndAfterBudget = [
        { at: Math.floor(budget / step) * step - step, alert, fires: false },
        { at: up(budget) + step, alert, fires: true },
    ];
    const on = (signal: Signal, series: Series, checks: Check[]): Scenario => ({ name: `${alert.rule.alert} (${signal})`, series, checks });
    const lastSuccess = (s: Series) => pick(s, "kube_cronjob_status_last_successful_time");
    switch (alert.signal) {
        case "stale":
            return on(
                "stale",
                variant(alert, step, (s) => set(alert.path.watches.kind === "CronJob" ? lastSuccess(s) : pick(s, SNAPSHOT_LAST_TIME_METRIC), 0)),
                beforeAndAfterBudget,
            );
        case "failed":
            return on(
                "failed",
                variant(alert, step, (s) => ({
                    ...set(lastSuccess(s), 0),
                    ...job(alert, `${alert.path.watches.name}-2`, { start: step, failed: true, active: false }),
                })),
                fireAfter(held),
            );
        case "suspended":
            return on(
                "suspended",
                variant(alert, step, (s) => set(pick(s, "kube_cronjob_spec_suspend"), 1)),
                fireAfter(held),
            );
        case "disabled":
            return on(
                "disabled",
                variant(alert, step, (s) => set(pick(s, SNAPSHOT_DISABLED_METRIC), 1)),
                fireAfter(held),
            );
        case "never-succeeded":
            return on(
                "never-succeeded",
                variant(alert, step, (s) => ({ ...set(lastSuccess(s), undefined), ...set(pick(s, "kube_cronjob_status_last_schedule_time"), step) })),
                fireAfter(held),
            );
        case "missing":
            return on(
                "missing",
                variant(alert, step, (s) => set(pick(s, alert.path.watches.kind === "CronJob" ? "kube_cronjob_info" : SNAPSHOT_LAST_TIME_METRIC), undefined)),
                fireAfter(held),
            );
        case "result-failed":
            return on(
                "result-failed",
                variant(alert, step, (s) => set(pick(s, DRILL_SUCCESS_METRIC), 0)),
                fireAfter(held),
            );
        case "result-stale":
            return on(
                "result-stale",
                variant(alert, step, (s) => set(pick(s, DRILL_LAST_RUN_METRIC), 0)),
                beforeAndAfterBudget,
            );
        case "result-missing":
            return on(
                "result-missing",
                variant(alert, step, (s) => set(pick(s, DRILL_LAST_RUN_METRIC), undefined)),
                fireAfter(held),
            );
    }
}

/** The failed alert stays silent while a job started after the last success is still retrying (a pod failed, another runs). */
function retrying(alert: FreshnessAlert, step: number): Scenario {
    const series = variant(alert, step, (s) => ({
        ...set(pick(s, "kube_cronjob_status_last_successful_time"), 2 * step),
        ...job(alert, `${alert.path.watches.name}-2`, { start: 3 * step, failed: true, active: true }),
    }));
    return { name: `${alert.rule.alert} (a job still retrying)`, series, checks: [{ at: upTo(step)(forSeconds(alert)) + 5 * step, alert, fires: false }] };
}

/** The promtool test file of one path's alerts, their rules in `ruleFile`. */
export function promtoolTests(alerts: readonly FreshnessAlert[], ruleFile: string): Record<string, unknown> {
    const step = stepOf(alerts);
    const up = upTo(step);
    const longest = Math.max(...alerts.map((alert) => Math.max(budgetSeconds(alert.path), forSeconds(alert))));
    const scenarios: Scenario[] = [
        {
            name: `${alerts[0].path.id} healthy`,
            series: healthy(alerts[0], step),
            checks: alerts.map((alert) => ({ at: up(longest) + 2 * step, alert, fires: false })),
        },
        ...alerts.map((alert) => broken(alert, step)),
        ...alerts.filter((alert) => alert.signal === "failed").map((alert) => retrying(alert, step)),
    ];
    return { rule_files: [ruleFile], evaluation_interval: `${step}s`, tests: scenarios.map((scenario) => testGroup(scenario, step)) };
}

function testGroup(scenario: Scenario, step: number): Record<string, unknown> {
    const samples = Math.max(...scenario.checks.map((check) => check.at)) / step + 1;
    return {
        name: scenario.name,
        interval: `${step}s`,
        input_series: Object.entries(scenario.series).map(([series, { value }]) => ({
            series,
            values: value === "now" ? `0+${step}x${samples}` : `${value}+0x${samples}`,
        })),
        alert_rule_test: scenario.checks.map(({ at, alert, fires }) => ({
            eval_time: `${at}s`,
            alertname: alert.rule.alert,
            exp_alerts: fires ? [{ exp_labels: alert.rule.labels, exp_annotations: alert.rule.annotations }] : [],
        })),
    };
}
