/**
 * The PromQL of each freshness signal, over kube-state-metrics' series (CronJobs, and
 * SnapshotSchedules through the CustomResourceStateMetrics config of ksm-config.ts) and the
 * metrics the restore drill pushes. Every expression aggregates to the labels that name its
 * object, so an alert carries the same labels whatever the scrape adds (job, instance, pod…).
 */
import { DRILL_LAST_RUN_METRIC, DRILL_SUCCESS_METRIC, Signal, SNAPSHOT_DISABLED_METRIC, SNAPSHOT_LAST_TIME_METRIC } from "../../contracts/monitoring";
import type { WatchedObject } from "./paths";

const selector = (labels: Record<string, string>) =>
    `{${Object.entries(labels)
        .map(([key, value]) => `${key}="${value}"`)
        .join(", ")}}`;

/** The newest success, or the CronJob's creation when it never succeeded: a CronJob that never ran is stale too. */
function lastSuccess(cronJob: string): string {
    return `max by (namespace, cronjob) (kube_cronjob_status_last_successful_time${cronJob} or kube_cronjob_created${cronJob})`;
}

/**
 * A job of the CronJob that failed after its last success (a failure followed by a success is
 * over). kube_job_status_failed counts failed pods, also of a job still retrying: a job with an
 * active pod is not failed yet.
 */
function failedSinceSuccess(object: WatchedObject, cronJob: string): string {
    const ns = selector({ namespace: object.namespace });
    const owner = selector({ namespace: object.namespace, owner_kind: "CronJob", owner_name: object.name });
    return [
        "max by (namespace, cronjob) (",
        `  label_replace(kube_job_status_start_time${ns} * on (namespace, job_name) group_left (owner_name) kube_job_owner${owner},`,
        '    "cronjob", "$1", "owner_name", "(.+)")',
        `  and on (namespace, job_name) (kube_job_status_failed${ns} > 0)`,
        `  unless on (namespace, job_name) (kube_job_status_active${ns} > 0)`,
        ")",
        `> on (namespace, cronjob) ${lastSuccess(cronJob)}`,
    ].join("\n");
}

export function cronJobExpr(signal: Signal, object: WatchedObject, budgetSeconds: number): string {
    const cronJob = selector({ namespace: object.namespace, cronjob: object.name });
    switch (signal) {
        case "stale":
            return `time() - ${lastSuccess(cronJob)} > ${budgetSeconds}`;
        case "failed":
            return failedSinceSuccess(object, cronJob);
        case "suspended":
            return `max by (namespace, cronjob) (kube_cronjob_spec_suspend${cronJob}) == 1`;
        case "never-succeeded":
            return `max by (namespace, cronjob) (kube_cronjob_status_last_schedule_time${cronJob}) unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${cronJob}`;
        case "missing":
            return `absent(kube_cronjob_info${cronJob})`;
        default:
            throw new Error(`no CronJob signal ${signal}`);
    }
}

export function snapshotScheduleExpr(signal: Signal, object: WatchedObject, budgetSeconds: number): string {
    const schedule = selector({ namespace: object.namespace, snapshotschedule: object.name });
    switch (signal) {
        case "stale":
            return `time() - max by (namespace, snapshotschedule) (${SNAPSHOT_LAST_TIME_METRIC}${schedule}) > ${budgetSeconds}`;
        case "disabled":
            return `max by (namespace, snapshotschedule) (${SNAPSHOT_DISABLED_METRIC}${schedule}) == 1`;
        case "missing":
            return `absent(${SNAPSHOT_LAST_TIME_METRIC}${schedule})`;
        default:
            throw new Error(`no SnapshotSchedule signal ${signal}`);
    }
}

/** What the restore drill pushed (docs/drills.md), by element. */
export function drillResultExpr(signal: Signal, element: string, budgetSeconds: number): string {
    const drill = selector({ element });
    switch (signal) {
        case "result-failed":
            return `min by (element) (${DRILL_SUCCESS_METRIC}${drill}) == 0`;
        case "result-stale":
            return `time() - max by (element) (${DRILL_LAST_RUN_METRIC}${drill}) > ${budgetSeconds}`;
        case "result-missing":
            return `absent(${DRILL_LAST_RUN_METRIC}${drill})`;
        default:
            throw new Error(`no drill signal ${signal}`);
    }
}
