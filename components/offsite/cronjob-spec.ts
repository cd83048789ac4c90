/**
 * Pure construction of an offsite-copy CronJob: a pinned shell image runs one of our scripts
 * (mounted from a ConfigMap) with rclone copied in by an init container — a job pod of
 * components/jobs/pod.ts. Read-only mounts of the data, credentials only through secretKeyRef.
 */
import { STARTING_DEADLINE_HOURS } from "../../config/dump-timing";
import type { ColdDestination } from "./destination";
import { jobSpec, PodAffinity, PodEnv, scriptContainer, SecretEnv } from "../jobs/pod";
import { Resources } from "../jobs/pod-security";

export interface MountedClaim {
    readonly claimName: string;
    readonly mountPath: string;
    readonly subPath?: string;
}

export interface CopyCronJobArgs {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    /** UTC cron. */
    readonly schedule: string;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** Key of the script in the ConfigMap. */
    readonly script: string;
    readonly claims: readonly MountedClaim[];
    /** Plain settings; never a credential. */
    readonly env: PodEnv;
    readonly secretEnv: readonly SecretEnv[];
    /** Extra groups, to read files another pod wrote group-readable (Bitnami: fsGroup 1001). */
    readonly supplementalGroups?: number[];
    readonly resources?: Resources;
    /** @default 4 h — a copy stuck on a dead endpoint is killed, then retried next run. */
    readonly activeDeadlineSeconds?: number;
    /** @default none: the scheduler places the pod anywhere. */
    readonly affinity?: PodAffinity;
}

/** What an element's copy builder gives OffsiteCopy (which adds the ServiceAccount and ConfigMap). */
export type ElementCopyArgs = Omit<CopyCronJobArgs, "serviceAccountName" | "configMapName">;

/** What every element's copy is built from (each element's offsite-spec.ts adds its own). */
export interface ElementCopySettings {
    readonly namespace: string;
    readonly release: string;
    /** UTC cron of the copy: the element's `offsiteUtcCron`. */
    readonly schedule: string;
    readonly destination: ColdDestination;
    /** Cold-storage prefix: the element's `coldStoragePrefix`. */
    readonly prefix: string;
    /** rclone --bwlimit, so a copy never starves the platform's own traffic. @default "20M" */
    readonly bandwidthLimit?: string;
}

export function copyCronJobSpec(args: CopyCronJobArgs) {
    return {
        schedule: args.schedule,
        // One copy at a time; a run missed during an outage still happens.
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: STARTING_DEADLINE_HOURS * 3600,
        successfulJobsHistoryLimit: 3,
        // Failed runs stay for diagnosis.
        failedJobsHistoryLimit: 5,
        jobTemplate: {
            metadata: { labels: args.labels },
            spec: jobSpec({
                labels: args.labels,
                backoffLimit: 2,
                activeDeadlineSeconds: args.activeDeadlineSeconds ?? 4 * 3600,
                pod: {
                    serviceAccountName: args.serviceAccountName,
                    configMapName: args.configMapName,
                    supplementalGroups: args.supplementalGroups,
                    affinity: args.affinity,
                    containers: [
                        scriptContainer({
                            name: "copy",
                            script: args.script,
                            env: args.env,
                            secretEnv: args.secretEnv,
                            resources: args.resources,
                            mounts: args.claims.map((claim, index) => ({
                                name: `data-${index}`,
                                mountPath: claim.mountPath,
                                readOnly: true,
                                ...(claim.subPath ? { subPath: claim.subPath } : {}),
                            })),
                        }),
                    ],
                    volumes: args.claims.map((claim, index) => ({
                        name: `data-${index}`,
                        persistentVolumeClaim: { claimName: claim.claimName, readOnly: true },
                    })),
                },
            }),
        },
    };
}
