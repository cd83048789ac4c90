/**
 * Pure: the one-shot Job that brings ~/.qalita back from the encrypted offsite copy into the
 * worker store (scripts/restore.sh, the file the integration test runs). The worker is stopped
 * meanwhile (worker-values.ts): the store is ReadWriteOnce, and nothing may write into ~/.qalita
 * before the files are back — restore.sh never overwrites a file already there.
 * Logging in and pushing the sources is the worker's own start (scripts/relink.sh): this image
 * has rclone but no qalita CLI, the worker's has the CLI but no rclone.
 */
import { jobSpec, PodEnv, scriptContainer, SecretEnv } from "../jobs/pod";
import { JOB_UID } from "../jobs/pod-security";
import { WORKER_STORE_PVC } from "../../contracts/qalita-chart";
import { EXCLUDE_PATH, QALITA_DIR, STORE_MOUNT } from "./offsite-spec";

export interface AgentsRestoreJobArgs {
    readonly labels: Record<string, string>;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** Destination settings (DR_DEST_*), as for the copy. */
    readonly env: PodEnv;
    /** Crypt key and destination credentials. */
    readonly secretEnv: readonly SecretEnv[];
    /** rclone --bwlimit. */
    readonly bandwidthLimit: string;
}

/** Bounds a run; `pulumi up` waits as long for the Job to complete (restore-job.ts). */
export const RESTORE_DEADLINE_HOURS = 6;

export function agentsRestoreJobSpec(args: AgentsRestoreJobArgs) {
    const env = { DR_TARGET_DIR: QALITA_DIR, DR_RUN_LOGIN: "0", DR_EXCLUDE_FROM: EXCLUDE_PATH, DR_BWLIMIT: args.bandwidthLimit, ...args.env };
    return jobSpec({
        labels: args.labels,
        // restore.sh resumes where a failed run stopped (it skips files already restored).
        backoffLimit: 2,
        activeDeadlineSeconds: RESTORE_DEADLINE_HOURS * 3600,
        pod: {
            serviceAccountName: args.serviceAccountName,
            configMapName: args.configMapName,
            // The worker runs as root and owns ~/.qalita; fsGroup makes the kubelet hand the
            // volume to this non-root pod's group (group-writable) instead of running as root.
            fsGroup: JOB_UID,
            containers: [
                scriptContainer({
                    name: "restore",
                    script: "restore.sh",
                    env,
                    secretEnv: args.secretEnv,
                    mounts: [{ name: "store", mountPath: STORE_MOUNT }],
                }),
            ],
            volumes: [{ name: "store", persistentVolumeClaim: { claimName: WORKER_STORE_PVC } }],
        },
    });
}
