/**
 * Pure: what the point-in-time recovery pods share — the identity of the chart's PostgreSQL
 * (uid, gid and fsGroup 1001), the archive PVC's mount, the release's PostgreSQL image — on top
 * of the one job-pod builder (components/jobs/pod.ts), restricted Pod Security Standard included.
 *
 * Why uid 1001: pg_receivewal and pg_basebackup create their files with the primary's data
 * directory mode, 0600 under Bitnami (its start-up `chmod go-rwx` on PGDATA); the restore Job
 * must then read them, and write a data directory the chart's PostgreSQL (uid 1001) owns. One uid
 * for the whole path makes every file readable where it is needed without opening permissions.
 */
import { POSTGRES_UID, PITR_MOUNT, pitrName } from "../../../contracts/pitr";
import { scriptFiles } from "../../scripts";
import type { VolumeMount } from "../../jobs/pod";
import { coldStorageJobFiles } from "../../offsite/scripts";

export const PITR_LIB = "pitr-lib.sh";

/** The archive PVC as a pod mounts it. */
export function archiveMount(readOnly: boolean): VolumeMount {
    return { name: "archive", mountPath: PITR_MOUNT, ...(readOnly ? { readOnly: true } : {}) };
}

export function archiveVolume(release: string, readOnly: boolean) {
    return { name: "archive", persistentVolumeClaim: { claimName: pitrName(release), ...(readOnly ? { readOnly: true } : {}) } };
}

interface PodSecurity {
    readonly securityContext: Record<string, unknown>;
    readonly initContainers?: readonly { readonly securityContext: object }[];
    readonly containers: readonly { readonly securityContext: object }[];
}

/**
 * A pod of the one job-pod builder, running as the chart's PostgreSQL does: uid, gid and fsGroup
 * 1001 (the kubelet gives the pod's volumes to that group). Still runAsNonRoot, no privilege, no
 * capability, read-only root filesystem: only the ids change.
 */
export function asPostgresUser<T extends PodSecurity>(pod: T): T {
    const container = <C extends { readonly securityContext: object }>(c: C): C => ({
        ...c,
        securityContext: { ...c.securityContext, runAsUser: POSTGRES_UID },
    });
    return {
        ...pod,
        securityContext: {
            ...pod.securityContext,
            runAsUser: POSTGRES_UID,
            runAsGroup: POSTGRES_UID,
            fsGroup: POSTGRES_UID,
            // The archive holds thousands of files: hand it to the group once, not on every start.
            fsGroupChangePolicy: "OnRootMismatch",
        },
        ...(pod.initContainers ? { initContainers: pod.initContainers.map(container) } : {}),
        containers: pod.containers.map(container),
    };
}

/** ConfigMap files of a PITR pod: its scripts and the library they source (and rclone-dest.sh for the bucket). */
export function pitrFiles(names: readonly string[], bucket = false): Record<string, string> {
    return bucket ? { ...coldStorageJobFiles("postgresql/pitr", [...names, PITR_LIB]) } : scriptFiles("postgresql/pitr", [...names, PITR_LIB]);
}

/** Where a pod of the release's PostgreSQL image reaches the primary, and as whom. */
export function primaryEnv(host: string, user: string) {
    return { PGHOST: host, PGPORT: "5432", PGUSER: user, PGCONNECT_TIMEOUT: "10" };
}
