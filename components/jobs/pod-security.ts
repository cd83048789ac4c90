/**
 * The Kubernetes "restricted" Pod Security Standard, applied to every pod the stack defines,
 * and the images those pods run, pinned by version.
 */

/** A numeric non-root uid: PSS restricted needs runAsNonRoot, and a numeric id proves it. */
export const JOB_UID = 65532;

export const IMAGES = {
    /** Official rclone image: the static rclone binary and a CA bundle are copied from it. */
    rclone: "docker.io/rclone/rclone:1.68.2",
    /** bash + coreutils for the scripts (the rclone image is Alpine/busybox without bash). */
    shell: "docker.io/library/debian:12.8-slim",
    /**
     * The curl project's image (Alpine: busybox sh + curl): the drill's report to the Kubernetes
     * API, which speaks HTTPS only — the release's PostgreSQL image has no HTTP client at all
     * (Bitnami purges curl after its build) and the shell image has none either.
     */
    curl: "docker.io/curlimages/curl:8.11.0",
} as const;

export interface PodGroups {
    /** Extra groups, to read files another pod wrote group-readable (Bitnami: fsGroup 1001). */
    readonly supplementalGroups?: readonly number[];
    /** The group the kubelet hands the pod's volumes to, group-writable: to write where another uid owns the files. */
    readonly fsGroup?: number;
}

export function podSecurityContext(groups: PodGroups = {}) {
    return {
        runAsNonRoot: true,
        runAsUser: JOB_UID,
        runAsGroup: JOB_UID,
        seccompProfile: { type: "RuntimeDefault" },
        ...(groups.supplementalGroups?.length ? { supplementalGroups: [...groups.supplementalGroups] } : {}),
        ...(groups.fsGroup !== undefined ? { fsGroup: groups.fsGroup } : {}),
    };
}

export const CONTAINER_SECURITY_CONTEXT = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: JOB_UID,
};

export interface Resources {
    readonly requests: { cpu: string; memory: string };
    readonly limits: { cpu: string; memory: string };
}

/** Copies are I/O-bound; the memory limit leaves room for rclone's multipart buffers. */
export const COPY_RESOURCES: Resources = {
    requests: { cpu: "50m", memory: "128Mi" },
    limits: { cpu: "1", memory: "512Mi" },
};
