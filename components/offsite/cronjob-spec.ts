/**
 * Pure construction of an offsite-copy CronJob: a pinned shell image runs one of our scripts
 * (mounted from a ConfigMap) with rclone copied in by an init container. Read-only mounts of the
 * data, scratch in emptyDirs, credentials only through secretKeyRef.
 */
import { STARTING_DEADLINE_HOURS } from "../../config/dump-timing";
import { CONTAINER_SECURITY_CONTEXT, COPY_RESOURCES, IMAGES, podSecurityContext, Resources } from "./pod-security";
import { PodEnv, rcloneToolsInitContainer, SCRIPT_MOUNTS, SCRIPTS_DIR, scriptEnv, SecretEnv, scriptVolumes } from "./rclone-pod";

export interface MountedClaim {
    readonly claimName: string;
    readonly mountPath: string;
    readonly subPath?: string;
}

export type { SecretEnv } from "./rclone-pod";

/** A pod's scheduling constraints, e.g. to run beside the pod holding a ReadWriteOnce volume. */
export interface PodAffinity {
    readonly podAffinity?: {
        readonly requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
        readonly preferredDuringSchedulingIgnoredDuringExecution?: { readonly weight: number; readonly podAffinityTerm: PodAffinityTerm }[];
    };
}

interface PodAffinityTerm {
    readonly labelSelector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly topologyKey: string;
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


export function copyCronJobSpec(args: CopyCronJobArgs) {
    const claimVolumes = args.claims.map((claim, index) => ({ name: `data-${index}`, persistentVolumeClaim: { claimName: claim.claimName, readOnly: true } }));
    const claimMounts = args.claims.map((claim, index) => ({ name: `data-${index}`, mountPath: claim.mountPath, readOnly: true, ...(claim.subPath ? { subPath: claim.subPath } : {}) }));
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
            spec: {
                backoffLimit: 2,
                activeDeadlineSeconds: args.activeDeadlineSeconds ?? 4 * 3600,
                template: {
                    metadata: { labels: args.labels },
                    spec: {
                        serviceAccountName: args.serviceAccountName,
                        automountServiceAccountToken: false,
                        restartPolicy: "Never",
                        securityContext: podSecurityContext(args.supplementalGroups),
                        ...(args.affinity ? { affinity: args.affinity } : {}),
                        initContainers: [rcloneToolsInitContainer()],
                        containers: [{
                            name: "copy",
                            image: IMAGES.shell,
                            command: ["/bin/bash", `${SCRIPTS_DIR}/${args.script}`],
                            env: scriptEnv(args.env, args.secretEnv),
                            securityContext: CONTAINER_SECURITY_CONTEXT,
                            resources: args.resources ?? COPY_RESOURCES,
                            volumeMounts: [...SCRIPT_MOUNTS, ...claimMounts],
                        }],
                        volumes: [...scriptVolumes(args.configMapName), ...claimVolumes],
                    },
                },
            },
        },
    };
}
