/**
 * The pieces every pod that runs our rclone scripts shares: an init container copying the static
 * rclone binary and a CA bundle from the official image into an emptyDir (the shell image has
 * bash and coreutils but neither), the environment that puts them to use, and the volumes.
 */
import type { Input } from "@pulumi/pulumi";
import { CONTAINER_SECURITY_CONTEXT, IMAGES } from "./pod-security";

export const TOOLS_DIR = "/tools";
export const SCRIPTS_DIR = "/scripts";

/** Plain settings of a pod, never a credential; a value may come from another resource (a key ARN). */
export type PodEnv = Readonly<Record<string, Input<string>>>;

export interface SecretEnv {
    readonly name: string;
    readonly secretName: string;
    readonly key: string;
}

export function rcloneToolsInitContainer() {
    return {
        name: "rclone",
        image: IMAGES.rclone,
        command: ["/bin/sh", "-c", `cp /usr/local/bin/rclone /etc/ssl/certs/ca-certificates.crt ${TOOLS_DIR}/`],
        securityContext: CONTAINER_SECURITY_CONTEXT,
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        volumeMounts: [{ name: "tools", mountPath: TOOLS_DIR }],
    };
}

/** Plain settings as env values, credentials only as secretKeyRefs. */
export function scriptEnv(env: PodEnv, secretEnv: readonly SecretEnv[] = []) {
    return [
        { name: "PATH", value: `${TOOLS_DIR}:/usr/local/bin:/usr/bin:/bin` },
        // Debian slim has no CA bundle: Go's TLS reads the one copied from the rclone image.
        { name: "SSL_CERT_FILE", value: `${TOOLS_DIR}/ca-certificates.crt` },
        { name: "HOME", value: "/tmp" },
        ...Object.entries(env).map(([name, value]) => ({ name, value })),
        ...secretEnv.map((entry) => ({ name: entry.name, valueFrom: { secretKeyRef: { name: entry.secretName, key: entry.key } } })),
    ];
}

/** Mounts of a script container: rclone, its scripts, scratch. */
export const SCRIPT_MOUNTS = [
    { name: "tools", mountPath: TOOLS_DIR, readOnly: true },
    { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
    { name: "tmp", mountPath: "/tmp" },
];

export function scriptVolumes(configMapName: string) {
    return [
        { name: "tools", emptyDir: { sizeLimit: "256Mi" } },
        { name: "scripts", configMap: { name: configMapName, defaultMode: 0o555 } },
        { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ];
}
