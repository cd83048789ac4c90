/**
 * Judges one protection path from its object's state at `now`, by the rules its freshness alerts
 * apply in Prometheus (components/monitoring/promql.ts, docs/monitoring.md): the same budget, the
 * same comparison, one status per path — the cause before the symptom (a suspended CronJob is
 * stale too, but "suspended" says what to fix). Pure: `now` is given.
 */
import type { WatchedObject } from "../../components/monitoring/paths";
import type { Signal } from "../../contracts/monitoring";
import { CronJobState, jobsOf, JobState, SnapshotScheduleState } from "./cluster-objects";
import { formatSeconds, secondsBetween } from "./durations";

export const PATH_STATUSES = ["ok", "stale", "failing", "suspended", "disabled", "never succeeded", "missing"] as const;
export type PathStatus = (typeof PATH_STATUSES)[number];

export interface Freshness {
    readonly status: PathStatus;
    /** When the newest backup was made (the CronJob's last success, the last snapshot). */
    readonly lastSuccess?: Date;
    readonly ageSeconds?: number;
    /** What is wrong and what to do; absent when ok. */
    readonly detail?: string;
}

/** As the stale alert's `time() - last > budget`: a backup exactly as old as its budget is within it. */
export function overBudget(ageSeconds: number, budgetSeconds: number): boolean {
    return ageSeconds > budgetSeconds;
}

const runbook = (signal: Signal) => `docs/monitoring.md#${signal}`;

function measured(lastSuccess: Date | undefined, now: Date): Pick<Freshness, "lastSuccess" | "ageSeconds"> {
    return lastSuccess ? { lastSuccess, ageSeconds: secondsBetween(lastSuccess, now) } : {};
}

function staleOrOk(age: Pick<Freshness, "lastSuccess" | "ageSeconds">, budgetSeconds: number, why = ""): Freshness {
    if (age.ageSeconds === undefined || !overBudget(age.ageSeconds, budgetSeconds)) return { ...age, status: "ok" };
    const over = formatSeconds(age.ageSeconds - budgetSeconds);
    return { ...age, status: "stale", detail: `${over} over budget${why}: ${runbook("stale")}` };
}

export function cronJobFreshness(
    watched: WatchedObject,
    cronJob: CronJobState | undefined,
    jobs: readonly JobState[],
    budgetSeconds: number,
    now: Date,
): Freshness {
    const { namespace, name } = watched;
    if (!cronJob) return { status: "missing", detail: `no CronJob ${namespace}/${name} in the cluster: pulumi up deploys it (${runbook("missing")})` };
    const age = measured(cronJob.lastSuccessfulTime, now);
    if (cronJob.suspended) {
        return {
            ...age,
            status: "suspended",
            detail: `spec.suspend: true, nothing runs; kubectl -n ${namespace} patch cronjob ${name} -p '{"spec":{"suspend":false}}'`,
        };
    }
    const failed = failedSinceSuccess(cronJob, jobs);
    if (failed) {
        const when = failed.startedAt ? ` (started ${formatSeconds(secondsBetween(failed.startedAt, now))} ago)` : "";
        const why = failed.failure?.reason ? `, ${failed.failure.reason}${failed.failure.message ? `: ${failed.failure.message}` : ""}` : "";
        return {
            ...age,
            status: "failing",
            detail: `Job ${failed.name} failed${when}${why}; kubectl -n ${namespace} logs job/${failed.name} --all-containers`,
        };
    }
    if (!cronJob.lastSuccessfulTime) {
        const created = cronJob.createdAt ? `since its creation ${formatSeconds(secondsBetween(cronJob.createdAt, now))} ago` : "ever";
        const scheduled = cronJob.lastScheduleTime
            ? `last run started ${formatSeconds(secondsBetween(cronJob.lastScheduleTime, now))} ago`
            : "not scheduled yet";
        return { status: "never succeeded", detail: `no success ${created}, ${scheduled}: ${runbook("never-succeeded")}` };
    }
    return staleOrOk(age, budgetSeconds);
}

/** The newest Job of the CronJob that gave up after its last success (a failure followed by a success is over). */
function failedSinceSuccess(cronJob: CronJobState, jobs: readonly JobState[]): JobState | undefined {
    const since = cronJob.lastSuccessfulTime?.getTime() ?? -Infinity;
    return jobsOf(cronJob, jobs)
        .filter((job) => job.failure && (job.startedAt?.getTime() ?? Infinity) > since)
        .sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0))[0];
}

export function snapshotScheduleFreshness(watched: WatchedObject, schedule: SnapshotScheduleState | undefined, budgetSeconds: number, now: Date): Freshness {
    const { namespace, name } = watched;
    if (!schedule)
        return { status: "missing", detail: `no SnapshotSchedule ${namespace}/${name} in the cluster: pulumi up deploys it (${runbook("missing")})` };
    const age = measured(schedule.lastSnapshotTime, now);
    const problem = schedule.problem ? `; ${schedule.problem}` : "";
    if (schedule.disabled) {
        return {
            ...age,
            status: "disabled",
            detail: `spec.disabled: true, no snapshot is taken; kubectl -n ${namespace} patch snapshotschedule ${name} --type merge -p '{"spec":{"disabled":false}}'`,
        };
    }
    if (!schedule.lastSnapshotTime) return { status: "never succeeded", detail: `no snapshot taken yet${problem}: ${runbook("stale")}` };
    return staleOrOk(age, budgetSeconds, problem);
}
