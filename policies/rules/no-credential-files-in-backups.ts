/**
 * no-credential-files-in-backups — a Job or CronJob whose pod mounts the worker store
 * (`…-worker-store`: the agents' ~/.qalita) never copies the worker's credential files. Each
 * container mounting the store sets DR_EXCLUDE_FROM to a file of a ConfigMap of this stack, and
 * that file lists every pattern of contracts/credential-files.json — the one list the
 * scripts also read. The job is linked to its ConfigMap through the volume DR_EXCLUDE_FROM lies in.
 */
import { credentialFilePatterns } from "../../contracts/credential-patterns";
import { known, knownLeaves, UNKNOWN } from "../lib/plan-values";
import { RuleDefinition } from "../lib/resources";
import { PlanResource } from "../../contracts/preview";

const JOB_TYPES = ["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"];
const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";
const WORKER_STORE = /(^|-)worker-store$/;

/** The lines rclone reads as patterns from an --exclude-from file. */
export function excludePatterns(text: string): string[] {
    return text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !/^[#;]/.test(line));
}

function podOf(resource: PlanResource): any {
    const spec = resource.props?.spec;
    return resource.type.endsWith(":CronJob") ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec;
}

/** The exclude file's text, or why it can't be read; UNKNOWN when the plan doesn't know it yet. */
function excludeFile(container: any, pod: any, namespace: unknown, configMaps: readonly PlanResource[]): string | { problem: string } | typeof UNKNOWN {
    const setting = [...(container.env ?? [])].reverse().find((env: any) => env?.name === "DR_EXCLUDE_FROM");
    if (!setting) return { problem: "sets no DR_EXCLUDE_FROM: nothing keeps .worker or .env-* out of the copy" };
    if (typeof setting.value !== "string")
        return { problem: "sets DR_EXCLUDE_FROM from a reference: write the exclude file's path, so the list can be checked" };
    const path: string = setting.value;
    const mount = [...(container.volumeMounts ?? [])]
        .filter((m: any) => typeof m?.mountPath === "string" && path.startsWith(`${m.mountPath.replace(/\/$/, "")}/`))
        .sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
    const volume = mount && (pod.volumes ?? []).find((v: any) => v?.name === mount.name);
    const name = volume?.configMap?.name;
    if (typeof name !== "string")
        return { problem: `reads DR_EXCLUDE_FROM=${path} from no ConfigMap volume: mount the exclude file from a ConfigMap of this stack` };
    const relative = path.slice(mount.mountPath.replace(/\/$/, "").length + 1);
    const key = (volume.configMap.items ?? []).find((item: any) => item?.path === relative)?.key ?? relative;
    const configMap = configMaps.find((c) => c.props?.metadata?.name === name && (c.props?.metadata?.namespace ?? namespace) === namespace);
    if (!configMap) return { problem: `reads DR_EXCLUDE_FROM=${path} from ConfigMap ${name}, which is not in this stack: the list can't be checked` };
    const text = known(() => configMap.props.data?.[key]);
    if (text === UNKNOWN) return UNKNOWN;
    return typeof text === "string" ? text : { problem: `ConfigMap ${name} has no ${key}, which DR_EXCLUDE_FROM=${path} names` };
}

export const noCredentialFilesInBackups: RuleDefinition = {
    name: "no-credential-files-in-backups",
    description:
        "Every Job or CronJob mounting the worker store excludes every credential file of contracts/credential-files.json (DR_EXCLUDE_FROM, from a ConfigMap of the stack).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediation:
        "Make every container that mounts the worker store set DR_EXCLUDE_FROM to a file of a ConfigMap of the stack listing every pattern of contracts/credential-files.json; the stack's agents copy and restore jobs do.",
    check(resources) {
        const patterns = credentialFilePatterns();
        const configMaps = resources.filter((r) => r.type === CONFIG_MAP_TYPE);
        return resources
            .filter((r) => JOB_TYPES.includes(r.type))
            .flatMap((job) => {
                // A pod whose env holds a value known only after apply (a key ARN) is still judged.
                const pod = knownLeaves(() => podOf(job)) as any;
                if (pod === UNKNOWN || typeof pod !== "object" || pod === null) return [];
                const stores = new Set(
                    (pod.volumes ?? []).filter((v: any) => WORKER_STORE.test(String(v?.persistentVolumeClaim?.claimName ?? ""))).map((v: any) => v.name),
                );
                if (stores.size === 0) return [];
                const namespace = job.props?.metadata?.namespace;
                const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].filter((c: any) =>
                    (c?.volumeMounts ?? []).some((m: any) => stores.has(m?.name)),
                );
                return containers.flatMap((container: any) => {
                    const text = excludeFile(container, pod, namespace, configMaps);
                    if (text === UNKNOWN) return [];
                    const at = `container ${container.name} mounts the worker store and`;
                    if (typeof text !== "string") return [{ urn: job.urn, message: `${at} ${text.problem}` }];
                    const listed = new Set(excludePatterns(text));
                    const missing = patterns.filter((p) => !listed.has(p));
                    return missing.length === 0
                        ? []
                        : [
                              {
                                  urn: job.urn,
                                  message: `${at} its exclude list misses ${missing.join(", ")}: those credential files would be copied; render the list with renderExcludeFile() (components/agents/credential-filter.ts)`,
                              },
                          ];
                });
            });
    },
};
