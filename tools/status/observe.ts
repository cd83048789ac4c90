/**
 * Reads from the cluster what the paths' freshness depends on: one `kubectl get` per resource and
 * namespace, never one per object — a stack's paths share a namespace, so four calls in all.
 */
import type { MonitoredPath, WatchedObject } from "../../components/monitoring/paths";
import { CronJobState, cronJobState, JobState, jobState, SnapshotScheduleState, snapshotScheduleState } from "./cluster-objects";
import { KubectlAccess, kubectlList, UnknownResourceError } from "./kubectl";

/** Fully qualified: another API group may define a `cronjobs` or `snapshotschedules` resource too. */
export const RESOURCES = {
    cronJobs: "cronjobs.batch",
    jobs: "jobs.batch",
    snapshotSchedules: "snapshotschedules.snapscheduler.backube",
    configMaps: "configmaps",
};

export interface Observed {
    readonly cronJobs: CronJobState[];
    readonly jobs: JobState[];
    readonly snapshotSchedules: SnapshotScheduleState[];
    /** snapscheduler's CRD is not installed: no SnapshotSchedule can exist. */
    readonly snapshotScheduleCrdMissing: boolean;
    /** The drill's status ConfigMap as the API serves it; undefined when it does not exist (or no drill is deployed). */
    readonly drillConfigMap?: any;
}

export function observeCluster(access: KubectlAccess, paths: readonly MonitoredPath[], drillStatus?: Omit<WatchedObject, "kind">): Observed {
    const namespaces = (kind: WatchedObject["kind"]) => [...new Set(paths.filter((path) => path.watches.kind === kind).map((path) => path.watches.namespace))];
    const cronJobNamespaces = namespaces("CronJob");
    const cronJobs = cronJobNamespaces.flatMap((namespace) => kubectlList(access, RESOURCES.cronJobs, namespace).map(cronJobState));
    const jobs = cronJobNamespaces.flatMap((namespace) => kubectlList(access, RESOURCES.jobs, namespace).map(jobState));
    let snapshotScheduleCrdMissing = false;
    const snapshotSchedules = namespaces("SnapshotSchedule").flatMap((namespace) => {
        try {
            return kubectlList(access, RESOURCES.snapshotSchedules, namespace).map(snapshotScheduleState);
        } catch (error) {
            // A finding about the cluster (snapscheduler not installed), not a reason to show nothing.
            if (!(error instanceof UnknownResourceError)) throw error;
            snapshotScheduleCrdMissing = true;
            return [];
        }
    });
    return {
        cronJobs,
        jobs,
        snapshotSchedules,
        snapshotScheduleCrdMissing,
        drillConfigMap: drillStatus
            ? kubectlList(access, RESOURCES.configMaps, drillStatus.namespace, `metadata.name=${drillStatus.name}`).find(
                  (item) => item.metadata?.name === drillStatus.name,
              )
            : undefined,
    };
}
