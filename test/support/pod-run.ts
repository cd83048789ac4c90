/**
 * Runs the containers of a rendered pod spec the way the kubelet would, so that a script meets
 * the identities and file modes it meets in the cluster:
 * - identity: uid from `runAsUser`, primary gid from `runAsGroup` (0 when unset, as for a numeric
 *   uid the image does not know), supplementary groups = `supplementalGroups` + `fsGroup`;
 *   no capabilities, no new privileges (setpriv);
 * - volumes on host directories at their mount paths' places: a PVC is the test's directory,
 *   made group-owned by the pod's `fsGroup`, group-writable and setgid as the kubelet does; an
 *   emptyDir is a fresh 0777 directory shared by the pod's containers; a ConfigMap is its data
 *   written with `defaultMode`; a projected ServiceAccount volume holds the test's token, CA and
 *   namespace (`serviceAccount`); read-only mounts are read-only bind mounts in a private mount
 *   namespace (unshare), so a write there fails as in the pod;
 * - env from the spec: values with mount paths mapped to the host directories, secretKeyRefs
 *   resolved from the test's Secrets (a missing one is an error, never an empty value — unless
 *   the reference is `optional`: then the variable is unset, as in the pod), plus the
 *   only things the cluster network would provide otherwise (`network`: Service names → loopback).
 * `runAs(podIdentity(spec, container), argv, env)` runs one command the same way (identity, no
 * capabilities, read-only directories) where the test lays out the volumes itself.
 * Needs root (CI runs as root): only root can take another uid and mount.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect } from "./process";
import { IMAGES } from "../../components/jobs/pod-security";
import { PG_BIN } from "./pg-cluster";

export interface PodRunResult {
    code: number | null;
    output: string;
}

export interface EmulatedPodOptions {
    /** Host directory of each PVC, by claim name. */
    readonly claims?: Readonly<Record<string, string>>;
    /** ConfigMap data by name: what the stack renders into its ConfigMaps. */
    readonly configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** Secret data by name. */
    readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** What the cluster's network gives the pod: e.g. PGHOST of a Service → 127.0.0.1, an S3 endpoint. */
    readonly network?: Readonly<Record<string, string>>;
    /** What the kubelet writes into a projected ServiceAccount token volume (serviceAccountTokenVolume). */
    readonly serviceAccount?: { readonly token: string; readonly caCert: string; readonly namespace: string };
}

/** PATH each image sets, with its tools where the host has them. */
const IMAGE_PATH: Record<string, string> = {
    [IMAGES.shell]: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    [IMAGES.rclone]: "/usr/local/bin:/usr/bin:/bin",
    // Alpine's busybox sh and curl: the host's dash and curl stand in.
    [IMAGES.curl]: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
};
const POSTGRES_IMAGE_PATH = `${PG_BIN}:/usr/local/bin:/usr/bin:/bin`;
/**
 * Bitnami's PostgreSQL image sets ENV NSS_WRAPPER_LIB (a uid without a passwd entry needs it for
 * initdb); Debian's libnss-wrapper stands in.
 */
const NSS_WRAPPER_LIB = [`/usr/lib/${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu/libnss_wrapper.so`, "/usr/lib/libnss_wrapper.so"].find((p) =>
    existsSync(p),
);

export function requireRoot(): void {
    if (process.getuid?.() !== 0) {
        throw new Error(
            "these tests run each pod's script as its securityContext's uid and groups, which needs root: run `npm test` as root (CI does), e.g. `sudo -E npm test`",
        );
    }
}

/** A pod's volumes laid out on the host; run its containers in order, then `cleanup()`. */
export class EmulatedPod {
    private readonly root = mkdtempSync(join(tmpdir(), "qalita-dr-pod-"));
    private readonly volumeDirs = new Map<string, string>();

    constructor(
        private readonly spec: any,
        private readonly options: EmulatedPodOptions = {},
    ) {
        requireRoot();
        chmodSync(this.root, 0o755);
        for (const volume of spec.volumes ?? []) this.volumeDirs.set(volume.name, this.prepareVolume(volume));
    }

    /** Init containers, then the containers, each must exit 0 before the next starts (as the kubelet does). */
    async runAll(): Promise<PodRunResult> {
        let output = "";
        for (const container of [...(this.spec.initContainers ?? []), ...this.spec.containers]) {
            const result = await this.run(container.name);
            output += result.output;
            if (result.code !== 0) return { code: result.code, output };
        }
        return { code: 0, output };
    }

    async run(containerName: string): Promise<PodRunResult> {
        const container = containerOf(this.spec, containerName);
        if (container.image === IMAGES.rclone) return this.copyRcloneTools(container);
        const mounts = this.mounts(container);
        const env = this.env(container, mounts);
        const command = [...(container.command ?? []), ...(container.args ?? [])].map((arg: string) => mapPath(arg, mounts));
        const readOnly = mounts.filter((mount) => mount.readOnly).map((mount) => mount.hostPath);
        return runProcess(confinedArgv(identityOf(this.spec, container), command, readOnly), env);
    }

    /** The init containers' names, in order: to run them one by one (`run`) and time the last container apart. */
    get initContainerNames(): string[] {
        return (this.spec.initContainers ?? []).map((container: any) => container.name);
    }

    /** Host directory of a volume (to seed or inspect it). */
    volume(name: string): string {
        const dir = this.volumeDirs.get(name);
        if (!dir) throw new Error(`no volume ${name} in the pod`);
        return dir;
    }

    cleanup(): void {
        rmSync(this.root, { recursive: true, force: true });
    }

    private prepareVolume(volume: any): string {
        const fsGroup: number | undefined = this.spec.securityContext?.fsGroup;
        if (volume.persistentVolumeClaim) {
            const dir = this.options.claims?.[volume.persistentVolumeClaim.claimName];
            if (!dir) throw new Error(`the test gives no directory for PVC ${volume.persistentVolumeClaim.claimName}`);
            if (fsGroup !== undefined) applyFsGroup(dir, fsGroup);
            return dir;
        }
        const dir = join(this.root, volume.name);
        mkdirSync(dir);
        if (volume.emptyDir) {
            chmodSync(dir, 0o777);
            if (fsGroup !== undefined) applyFsGroup(dir, fsGroup);
            return dir;
        }
        if (volume.projected) {
            const account = this.options.serviceAccount;
            if (!account) throw new Error(`volume ${volume.name}: the test gives no ServiceAccount token for the projected volume`);
            const files: Record<string, string> = { token: account.token, "ca.crt": account.caCert, namespace: account.namespace };
            for (const [key, text] of Object.entries(files)) {
                writeFileSync(join(dir, key), text);
                chmodSync(join(dir, key), volume.projected.defaultMode ?? 0o644);
            }
            return dir;
        }
        if (volume.configMap) {
            const data = this.options.configMaps?.[volume.configMap.name];
            if (!data) throw new Error(`the test gives no data for ConfigMap ${volume.configMap.name}`);
            const mode = volume.configMap.defaultMode ?? 0o644;
            for (const [key, text] of Object.entries(data)) {
                writeFileSync(join(dir, key), text);
                chmodSync(join(dir, key), mode);
                if (fsGroup !== undefined) chownSync(join(dir, key), 0, fsGroup);
            }
            return dir;
        }
        throw new Error(`volume ${volume.name}: only PVC, emptyDir, ConfigMap and projected ServiceAccount volumes are emulated`);
    }

    private mounts(container: any): Mount[] {
        return (container.volumeMounts ?? []).map((mount: any) => {
            const volume = (this.spec.volumes ?? []).find((v: any) => v.name === mount.name);
            const base = this.volume(mount.name);
            return {
                mountPath: mount.mountPath,
                hostPath: mount.subPath ? join(base, mount.subPath) : base,
                readOnly: Boolean(mount.readOnly || volume?.persistentVolumeClaim?.readOnly || volume?.configMap || volume?.projected),
            };
        });
    }

    private env(container: any, mounts: Mount[]): NodeJS.ProcessEnv {
        const postgresImage = container.image.includes("postgresql");
        const env: Record<string, string> = {
            PATH: postgresImage ? POSTGRES_IMAGE_PATH : (IMAGE_PATH[container.image] ?? "/usr/bin:/bin"),
            ...(postgresImage && NSS_WRAPPER_LIB ? { NSS_WRAPPER_LIB } : {}),
        };
        for (const entry of container.env ?? []) {
            const ref = entry.valueFrom?.secretKeyRef;
            if (ref) {
                const value = this.options.secrets?.[ref.name]?.[ref.key];
                // An optional reference to a missing Secret or key leaves the variable unset, as the kubelet does.
                if (value === undefined && ref.optional) continue;
                if (value === undefined) throw new Error(`${container.name}: ${entry.name} reads Secret ${ref.name}/${ref.key}, which the test does not have`);
                env[entry.name] = value;
            } else if (entry.valueFrom) {
                throw new Error(`${container.name}: ${entry.name}: only secretKeyRef references are emulated`);
            } else {
                env[entry.name] =
                    entry.name === "PATH"
                        ? entry.value
                              .split(":")
                              .map((p: string) => mapPath(p, mounts))
                              .join(":")
                        : mapPath(entry.value, mounts);
            }
        }
        // The host's tools stand in for the image's: keep them reachable after the pod's own PATH.
        if (!env.PATH.split(":").includes("/usr/bin")) env.PATH += ":/usr/bin:/bin";
        return { ...env, ...this.options.network };
    }

    /** The rclone init container copies the static binary and a CA bundle: the host's stand in. */
    private async copyRcloneTools(container: any): Promise<PodRunResult> {
        const tools = this.mounts(container)[0].hostPath;
        const rclone = spawnSync("sh", ["-c", "command -v rclone"], { encoding: "utf8" }).stdout.trim();
        if (!rclone) throw new Error("rclone is not on PATH: install it with `apt-get install -y rclone`");
        symlinkSync(rclone, join(tools, "rclone"));
        return { code: 0, output: "" };
    }
}

interface Mount {
    mountPath: string;
    hostPath: string;
    readOnly: boolean;
}

/** A path inside the pod → the host directory behind it; other values unchanged. */
function mapPath(value: string, mounts: Mount[]): string {
    const mount = [...mounts].sort((a, b) => b.mountPath.length - a.mountPath.length).find((m) => value === m.mountPath || value.startsWith(`${m.mountPath}/`));
    return mount ? mount.hostPath + value.slice(mount.mountPath.length) : value;
}

/**
 * What the kubelet does to a volume for a pod with fsGroup (pkg/volume/volume_linux.go,
 * SetVolumeOwnership): every file group-owned, mode |= 0660, directories also |= setgid + 0110.
 */
export function applyFsGroup(dir: string, fsGroup: number): void {
    const walk = (path: string) => {
        try {
            const stat = lstatSync(path);
            if (stat.isSymbolicLink()) return;
            chownSync(path, stat.uid, fsGroup);
            chmodSync(path, (stat.mode & 0o7777) | 0o660 | (stat.isDirectory() ? 0o2110 : 0));
            if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
        } catch (error) {
            // A pod already running on the volume (a WAL receiver taking a base backup) may remove
            // a file between the listing and its turn: it no longer needs a group.
            if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
    };
    walk(dir);
}

/** A directory a test hands to a pod as a PVC: owned by root, as a fresh volume is. */
export function freshClaimDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(dir, 0o755);
    return dir;
}

/** The uid, primary gid and supplementary groups a process of a container runs with. */
export interface PodIdentity {
    readonly uid: number;
    readonly gid: number;
    readonly groups: readonly number[];
}

/**
 * The identity a container of a rendered pod spec runs with: uid from `runAsUser` (container's,
 * else pod's), primary gid from `runAsGroup` (0 when unset, as for a numeric uid the image does
 * not know), supplementary groups = `supplementalGroups` + `fsGroup`.
 */
export function podIdentity(podSpec: any, containerName: string): PodIdentity {
    return identityOf(podSpec, containerOf(podSpec, containerName));
}

function identityOf(podSpec: any, container: any): PodIdentity {
    const pod = podSpec.securityContext ?? {};
    const own = container.securityContext ?? {};
    const uid = own.runAsUser ?? pod.runAsUser;
    if (typeof uid !== "number") throw new Error(`${container.name}: no numeric runAsUser: the image's user is not emulated`);
    const groups = [...(pod.supplementalGroups ?? []), ...(pod.fsGroup !== undefined ? [pod.fsGroup] : [])];
    return { uid, gid: own.runAsGroup ?? pod.runAsGroup ?? 0, groups: [...new Set<number>(groups)] };
}

function containerOf(podSpec: any, containerName: string): any {
    const container = [...(podSpec.initContainers ?? []), ...podSpec.containers].find((c: any) => c.name === containerName);
    if (!container) throw new Error(`no container ${containerName} in the pod`);
    return container;
}

export interface RunAsOptions {
    /** Host directories the process may only read (as a read-only volume mount). */
    readonly readOnly?: readonly string[];
}

/**
 * Runs `argv` as `identity` (e.g. `podIdentity(spec, name)`), the way EmulatedPod runs a
 * container: no capabilities, no new privileges, exactly `env`, cwd `/`; the `readOnly`
 * directories read-only for it. For a script whose volumes the test lays out itself.
 */
export function runAs(identity: PodIdentity, argv: readonly string[], env: NodeJS.ProcessEnv, options: RunAsOptions = {}): Promise<PodRunResult> {
    requireRoot();
    return runProcess(confinedArgv(identity, argv, options.readOnly ?? []), env);
}

/** setpriv to the identity, inside a private mount namespace when some directories are read-only. */
function confinedArgv(identity: PodIdentity, command: readonly string[], readOnly: readonly string[]): string[] {
    const setpriv = [
        "setpriv",
        "--reuid",
        String(identity.uid),
        "--regid",
        String(identity.gid),
        ...(identity.groups.length ? ["--groups", identity.groups.join(",")] : ["--clear-groups"]),
        "--no-new-privs",
        "--inh-caps=-all",
        "--",
        ...command,
    ];
    if (!readOnly.length) return setpriv;
    // A private mount namespace: the read-only bind mounts exist for this process tree only.
    const binds = readOnly.map((_, i) => `mount --bind "$${i + 1}" "$${i + 1}" && mount -o remount,bind,ro "$${i + 1}"`);
    return [
        "unshare",
        "-m",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        `${binds.join(" && ")} && shift ${readOnly.length} && exec "$@"`,
        "sh",
        ...readOnly,
        ...setpriv,
    ];
}

/**
 * A copy of a pod spec whose container has `env` set (an entry of the same name replaced, else
 * added), as an operator editing the Job would. Values are pod paths: they go through the same
 * mapping as the rest (a host path under a mount path, e.g. the host's /tmp, would be remapped).
 */
export function withEnv<T>(podSpec: T, containerName: string, env: Readonly<Record<string, string>>): T {
    const copy = structuredClone(podSpec);
    const container = containerOf(copy, containerName);
    const entries = (container.env ?? []).filter((entry: any) => !(entry.name in env));
    container.env = [...entries, ...Object.entries(env).map(([name, value]) => ({ name, value }))];
    return copy;
}

/**
 * Gives every file and directory under `path` (itself included) the owner, group and modes the
 * process that really writes them leaves: for fixtures a test writes as root in its stead.
 */
export function ownTree(path: string, owner: { uid: number; gid: number }, modes: { dir: number; file: number }): void {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    chownSync(path, owner.uid, owner.gid);
    chmodSync(path, stat.isDirectory() ? modes.dir : modes.file);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) ownTree(join(path, entry), owner, modes);
}

/** The container's output as the kubelet logs it: stdout and stderr in one stream. */
async function runProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<PodRunResult> {
    const { code, stdout, stderr } = await collect(argv, { env, cwd: "/" });
    return { code, output: stdout + stderr };
}
