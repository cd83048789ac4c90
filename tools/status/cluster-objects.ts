/**
 * The few fields `npm run status` reads of each object, as the API serves them (`kubectl get -o
 * json`): batch/v1 CronJob and Job, snapscheduler.backube/v1 SnapshotSchedule (its CRD:
 * test/fixtures/upstream/crd/). Pure.
 */

export interface CronJobState {
    readonly namespace: string;
    readonly name: string;
    readonly uid?: string;
    readonly createdAt?: Date;
    readonly suspended: boolean;
    readonly lastScheduleTime?: Date;
    readonly lastSuccessfulTime?: Date;
}

export interface JobState {
    readonly namespace: string;
    readonly name: string;
    /** The CronJob that created it (its controller ownerReference). */
    readonly owner?: { readonly name: string; readonly uid?: string };
    readonly startedAt?: Date;
    /** Set once the Job has given up (condition Failed=True): a Job still retrying has not failed yet. */
    readonly failure?: { readonly reason?: string; readonly message?: string };
}

export interface SnapshotScheduleState {
    readonly namespace: string;
    readonly name: string;
    readonly disabled: boolean;
    readonly lastSnapshotTime?: Date;
    /** The message of a condition that is not True (snapscheduler's `Reconciled`), when there is one. */
    readonly problem?: string;
}

const time = (value: unknown): Date | undefined => (typeof value === "string" && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);

export function cronJobState(object: any): CronJobState {
    return {
        namespace: object.metadata?.namespace,
        name: object.metadata?.name,
        uid: object.metadata?.uid,
        createdAt: time(object.metadata?.creationTimestamp),
        suspended: object.spec?.suspend === true,
        lastScheduleTime: time(object.status?.lastScheduleTime),
        lastSuccessfulTime: time(object.status?.lastSuccessfulTime),
    };
}

export function jobState(object: any): JobState {
    const owner = (object.metadata?.ownerReferences ?? []).find((reference: any) => reference.kind === "CronJob" && reference.controller !== false);
    const failed = (object.status?.conditions ?? []).find((condition: any) => condition.type === "Failed" && condition.status === "True");
    return {
        namespace: object.metadata?.namespace,
        name: object.metadata?.name,
        owner: owner ? { name: owner.name, uid: owner.uid } : undefined,
        startedAt: time(object.status?.startTime) ?? time(object.metadata?.creationTimestamp),
        failure: failed ? { reason: failed.reason, message: failed.message } : undefined,
    };
}

export function snapshotScheduleState(object: any): SnapshotScheduleState {
    const unhappy = (object.status?.conditions ?? []).find((condition: any) => condition.status !== "True");
    return {
        namespace: object.metadata?.namespace,
        name: object.metadata?.name,
        disabled: object.spec?.disabled === true,
        lastSnapshotTime: time(object.status?.lastSnapshotTime),
        problem: unhappy ? `${unhappy.type} ${unhappy.status}: ${unhappy.message ?? unhappy.reason}` : undefined,
    };
}

/** The Jobs a CronJob created: by its uid, so a deleted and re-created CronJob's old Jobs don't count. */
export function jobsOf(cronJob: CronJobState, jobs: readonly JobState[]): JobState[] {
    return jobs.filter(
        (job) => job.namespace === cronJob.namespace && job.owner?.name === cronJob.name && (!cronJob.uid || !job.owner.uid || job.owner.uid === cronJob.uid),
    );
}
