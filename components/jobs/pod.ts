/**
 * The one builder of the stack's job pods — every Job and CronJob it defines: the pod header
 * (own ServiceAccount without a token, restartPolicy Never, the restricted security context),
 * the scripts mounted from the job's ConfigMap (components/jobs/identity.ts) at SCRIPTS_MOUNT,
 * scratch in emptyDirs, and — for any container that runs rclone — an init container copying
 * the static rclone binary and a CA bundle from the official image into an emptyDir (the shell
 * image has bash and coreutils but neither). Pure: Kubernetes object specs only.
 */
import type { Input } from "@pulumi/pulumi";
import { CONTAINER_SECURITY_CONTEXT, COPY_RESOURCES, IMAGES, PodGroups, podSecurityContext, Resources } from "./pod-security";

/** Where a job's ConfigMap of scripts is mounted in its pod (not the repository's components/<area>/scripts). */
export const SCRIPTS_MOUNT = "/scripts";
/** Where the init container leaves rclone and its CA bundle. */
const TOOLS_MOUNT = "/tools";
const SCRATCH_MOUNT = "/tmp";

/** Plain settings of a pod, never a credential; a value may come from another resource (a key ARN). */
export type PodEnv = Readonly<Record<string, Input<string>>>;

export interface SecretEnv {
    readonly name: string;
    readonly secretName: string;
    readonly key: string;
    /** The pod starts without it (the variable is then unset): a credential of an optional feature. */
    readonly optional?: boolean;
}

/** An env entry: a plain value, or a credential by secretKeyRef. */
export interface EnvVar {
    name: string;
    value?: Input<string>;
    valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}

export interface VolumeMount {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
    readonly subPath?: string;
}

export interface Volume {
    readonly name: string;
    readonly emptyDir?: { readonly sizeLimit: string };
    readonly configMap?: { readonly name: string; readonly defaultMode: number };
    readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
    readonly projected?: ReturnType<typeof serviceAccountTokenVolume>["projected"];
}

/** Where a pod finds its ServiceAccount's token, the cluster's CA and its namespace (client-go's in-cluster config). */
export const SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The volume the ServiceAccount admission plugin adds when a token is automounted (a bound,
 * expiring token the kubelet refreshes, the cluster's CA from kube-root-ca.crt, the namespace),
 * declared instead, so that only the container that mounts it has API access: every pod here
 * keeps automountServiceAccountToken false.
 */
export function serviceAccountTokenVolume(name: string) {
    return {
        name,
        projected: {
            defaultMode: 0o444,
            sources: [
                { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
                { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
        },
    };
}

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

export interface ScriptContainerArgs {
    readonly name: string;
    /** Key of the script in the job's ConfigMap: the container runs `/bin/<shell> /scripts/<script>`. */
    readonly script: string;
    /** @default "bash"; "sh" for an image without bash (busybox: the curl image). */
    readonly shell?: "bash" | "sh";
    /** @default IMAGES.shell */
    readonly image?: string;
    /**
     * rclone and its CA bundle on PATH, from the init container (which the pod then gets).
     * @default true; false for an image with its own tools (the release's PostgreSQL image).
     */
    readonly rclone?: boolean;
    /** Plain settings; never a credential. */
    readonly env?: PodEnv;
    /** Credentials, only ever as secretKeyRefs. */
    readonly secretEnv?: readonly SecretEnv[];
    /** @default COPY_RESOURCES */
    readonly resources?: Resources;
    /** Mounts beside the tools, the scripts and the scratch space. */
    readonly mounts?: readonly VolumeMount[];
}

export type ScriptContainer = ReturnType<typeof scriptContainer>;

/** A container running one of the job's scripts, as the restricted standard wants it. */
export function scriptContainer(args: ScriptContainerArgs) {
    const rclone = args.rclone ?? true;
    return {
        name: args.name,
        image: args.image ?? IMAGES.shell,
        command: [`/bin/${args.shell ?? "bash"}`, `${SCRIPTS_MOUNT}/${args.script}`],
        env: scriptEnv(rclone, args.env ?? {}, args.secretEnv ?? []),
        securityContext: CONTAINER_SECURITY_CONTEXT,
        resources: args.resources ?? COPY_RESOURCES,
        volumeMounts: [
            ...(rclone ? [{ name: "tools", mountPath: TOOLS_MOUNT, readOnly: true }] : []),
            { name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true },
            { name: "tmp", mountPath: SCRATCH_MOUNT },
            ...(args.mounts ?? []),
        ] as VolumeMount[],
    };
}

/** Plain settings as env values, credentials only as secretKeyRefs. */
function scriptEnv(rclone: boolean, env: PodEnv, secretEnv: readonly SecretEnv[]): EnvVar[] {
    return [
        ...(rclone
            ? [
                  { name: "PATH", value: `${TOOLS_MOUNT}:/usr/local/bin:/usr/bin:/bin` },
                  // Debian slim has no CA bundle: Go's TLS reads the one copied from the rclone image.
                  { name: "SSL_CERT_FILE", value: `${TOOLS_MOUNT}/ca-certificates.crt` },
              ]
            : []),
        { name: "HOME", value: SCRATCH_MOUNT },
        ...Object.entries(env).map(([name, value]) => ({ name, value })),
        ...secretEnv.map((entry) => ({
            name: entry.name,
            valueFrom: { secretKeyRef: { name: entry.secretName, key: entry.key, ...(entry.optional ? { optional: true } : {}) } },
        })),
    ];
}

function rcloneToolsInitContainer() {
    return {
        name: "rclone",
        image: IMAGES.rclone,
        command: ["/bin/sh", "-c", `cp /usr/local/bin/rclone /etc/ssl/certs/ca-certificates.crt ${TOOLS_MOUNT}/`],
        securityContext: CONTAINER_SECURITY_CONTEXT,
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        volumeMounts: [{ name: "tools", mountPath: TOOLS_MOUNT }],
    };
}

export interface JobPodArgs extends PodGroups {
    readonly serviceAccountName: string;
    /** The job's ConfigMap of scripts (components/jobs/identity.ts), mounted at SCRIPTS_MOUNT. */
    readonly configMapName: string;
    /** Pull secrets of a private image. */
    readonly imagePullSecrets?: readonly string[];
    /** @default none: the scheduler places the pod anywhere. */
    readonly affinity?: PodAffinity;
    /** Run in order before `containers` — after the rclone copy, which comes first whenever a container needs rclone. */
    readonly initContainers?: readonly ScriptContainer[];
    readonly containers: readonly ScriptContainer[];
    /** Volumes beside the tools, the scripts and the scratch space. */
    readonly volumes?: readonly Volume[];
}

/** The pod of a Job or of a CronJob's jobs. */
export function jobPodSpec(args: JobPodArgs) {
    const initContainers = args.initContainers ?? [];
    const rclone = [...initContainers, ...args.containers].some((container) => container.volumeMounts.some((mount) => mount.name === "tools"));
    return {
        serviceAccountName: args.serviceAccountName,
        automountServiceAccountToken: false,
        ...(args.imagePullSecrets?.length ? { imagePullSecrets: args.imagePullSecrets.map((name) => ({ name })) } : {}),
        restartPolicy: "Never",
        securityContext: podSecurityContext(args),
        ...(args.affinity ? { affinity: args.affinity } : {}),
        initContainers: [...(rclone ? [rcloneToolsInitContainer()] : []), ...initContainers],
        containers: [...args.containers],
        volumes: [
            { name: "tools", emptyDir: { sizeLimit: "256Mi" } },
            { name: "scripts", configMap: { name: args.configMapName, defaultMode: 0o555 } },
            { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
            ...(args.volumes ?? []),
        ] as Volume[],
    };
}

export interface JobSpecArgs {
    /** Labels of the pods. */
    readonly labels: Record<string, string>;
    readonly backoffLimit: number;
    readonly activeDeadlineSeconds: number;
    readonly pod: JobPodArgs;
}

/** A batch/v1 JobSpec: a Job's `spec`, a CronJob's `jobTemplate.spec`. */
export function jobSpec(args: JobSpecArgs) {
    return {
        backoffLimit: args.backoffLimit,
        activeDeadlineSeconds: args.activeDeadlineSeconds,
        template: { metadata: { labels: args.labels }, spec: jobPodSpec(args.pod) },
    };
}
