/**
 * Pure: the one-shot Job that brings ~/.qalita back from the encrypted offsite copy into the
 * worker store (scripts/restore.sh, the file the integration test runs). The worker is stopped
 * meanwhile (worker-values.ts): the store is ReadWriteOnce, and nothing may write into ~/.qalita
 * before the files are back — restore.sh never overwrites a file already there.
 * Logging in and pushing the sources is the worker's own start (scripts/relink.sh): this image
 * has rclone but no qalita CLI, the worker's has the CLI but no rclone.
 */
import { SecretEnv } from "../offsite/cronjob-spec";
import { CONTAINER_SECURITY_CONTEXT, COPY_RESOURCES, IMAGES, JOB_UID, podSecurityContext } from "../offsite/pod-security";
import { WORKER_STORE_PVC } from "../snapshots/claims";
import { EXCLUDE_PATH, QALITA_DIR, SCRIPTS_DIR, STORE_MOUNT } from "./offsite-spec";

export interface AgentsRestoreJobArgs {
    readonly labels: Record<string, string>;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** Destination settings (DR_DEST_*), as for the copy. */
    readonly env: Record<string, string>;
    /** Crypt key and destination credentials. */
    readonly secretEnv: readonly SecretEnv[];
    /** rclone --bwlimit. */
    readonly bandwidthLimit: string;
}

const TOOLS = "/tools";
/** Bounds a run; `pulumi up` waits as long for the Job to complete (restore-job.ts). */
export const RESTORE_DEADLINE_HOURS = 6;

export function agentsRestoreJobSpec(args: AgentsRestoreJobArgs) {
    const env = { DR_TARGET_DIR: QALITA_DIR, DR_RUN_LOGIN: "0", DR_EXCLUDE_FROM: EXCLUDE_PATH, DR_BWLIMIT: args.bandwidthLimit, ...args.env };
    return {
        // restore.sh resumes where a failed run stopped (it skips files already restored).
        backoffLimit: 2,
        activeDeadlineSeconds: RESTORE_DEADLINE_HOURS * 3600,
        template: {
            metadata: { labels: args.labels },
            spec: {
                serviceAccountName: args.serviceAccountName,
                automountServiceAccountToken: false,
                restartPolicy: "Never",
                // The worker runs as root and owns ~/.qalita; fsGroup makes the kubelet hand the
                // volume to this non-root pod's group (group-writable) instead of running as root.
                securityContext: { ...podSecurityContext(), fsGroup: JOB_UID },
                initContainers: [{
                    name: "rclone",
                    image: IMAGES.rclone,
                    command: ["/bin/sh", "-c", `cp /usr/local/bin/rclone /etc/ssl/certs/ca-certificates.crt ${TOOLS}/`],
                    securityContext: CONTAINER_SECURITY_CONTEXT,
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                    volumeMounts: [{ name: "tools", mountPath: TOOLS }],
                }],
                containers: [{
                    name: "restore",
                    image: IMAGES.shell,
                    command: ["/bin/bash", `${SCRIPTS_DIR}/restore.sh`],
                    env: [
                        { name: "PATH", value: `${TOOLS}:/usr/local/bin:/usr/bin:/bin` },
                        { name: "SSL_CERT_FILE", value: `${TOOLS}/ca-certificates.crt` },
                        { name: "HOME", value: "/tmp" },
                        ...Object.entries(env).map(([name, value]) => ({ name, value })),
                        ...args.secretEnv.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } })),
                    ],
                    securityContext: CONTAINER_SECURITY_CONTEXT,
                    resources: COPY_RESOURCES,
                    volumeMounts: [
                        { name: "tools", mountPath: TOOLS, readOnly: true },
                        { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
                        { name: "tmp", mountPath: "/tmp" },
                        { name: "store", mountPath: STORE_MOUNT },
                    ],
                }],
                volumes: [
                    { name: "tools", emptyDir: { sizeLimit: "256Mi" } },
                    { name: "scripts", configMap: { name: args.configMapName, defaultMode: 0o555 } },
                    { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
                    { name: "store", persistentVolumeClaim: { claimName: WORKER_STORE_PVC } },
                ],
            },
        },
    };
}
