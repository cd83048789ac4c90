/**
 * Pure: the OffsiteCopy arguments of the worker store → cold storage copy, and the settings the
 * copy and the restore share (scripts/offsite-copy.sh and restore.sh: their headers are the
 * environment contract).
 */
import { drLabels } from "../../contracts/labels";
import { agentsOffsiteName } from "../../contracts/names";
import { DEFAULT_BWLIMIT } from "../../config/catalog";
import { destinationEnv } from "../offsite/destination";
import { PodAffinity, SCRIPTS_MOUNT, SecretEnv } from "../jobs/pod";
import { ElementCopyArgs, ElementCopySettings } from "../offsite/cronjob-spec";
import { coldStorageJobFiles, offsiteCopyJobFiles } from "../offsite/scripts";
import { heartbeatSecretEnv } from "../monitoring/heartbeat-spec";
import { WORKER_STORE_PVC } from "../../contracts/qalita-chart";
import { CREDENTIAL_EXCLUDE_FILE, renderExcludeFile } from "./credential-filter";
import { CRYPT_PASSWORD_KEY, CRYPT_SALT_KEY } from "./secrets";

/** The chart mounts the whole store at /data in the worker's containers; ~/.qalita is its subPath `qalita`. */
export const STORE_MOUNT = "/data";
export const QALITA_DIR = `${STORE_MOUNT}/qalita`;
/** The exclude file, beside the scripts in the job's ConfigMap. */
export const EXCLUDE_PATH = `${SCRIPTS_MOUNT}/${CREDENTIAL_EXCLUDE_FILE}`;

/**
 * The ConfigMap files of an agents job: its script, the crypt setup it sources, the credential
 * exclude list and the shared rclone setup — and for the copy, the heartbeat it pings.
 */
export function agentsJobFiles(script: "offsite-copy.sh" | "restore.sh"): Record<string, string> {
    const files = script === "offsite-copy.sh" ? offsiteCopyJobFiles : coldStorageJobFiles;
    return { ...files("agents", [script, "vault.sh"]), [CREDENTIAL_EXCLUDE_FILE]: renderExcludeFile() };
}

/** The ConfigMap files of the copy. */
export function agentsCopyFiles(): Record<string, string> {
    return agentsJobFiles("offsite-copy.sh");
}

export function cryptSecretEnv(secretName: string): SecretEnv[] {
    return [
        { name: "DR_CRYPT_PASSWORD", secretName, key: CRYPT_PASSWORD_KEY },
        { name: "DR_CRYPT_SALT", secretName, key: CRYPT_SALT_KEY },
    ];
}

/**
 * The worker store is ReadWriteOnce: a volume attached to the worker's node can't attach
 * anywhere else, so a copy pod scheduled on another node would stay Pending (Multi-Attach
 * error) until its deadline. Required affinity to the worker's pods puts it on their node,
 * where a second pod may mount the volume (read-only here).
 */
export function besideWorker(workerPodLabels: Readonly<Record<string, string>>): PodAffinity {
    return {
        podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...workerPodLabels } }, topologyKey: "kubernetes.io/hostname" }],
        },
    };
}

export interface AgentsCopySettings extends ElementCopySettings {
    /** Secret with the crypt `password` and `salt`. */
    readonly cryptSecretName: string;
    /** Labels of the worker's pods, to run beside one. */
    readonly workerPodLabels: Readonly<Record<string, string>>;
}

export function agentsCopyArgs(settings: AgentsCopySettings): ElementCopyArgs {
    const { env, secretEnv } = destinationEnv(settings.destination, settings.prefix);
    return {
        name: agentsOffsiteName(settings.release),
        namespace: settings.namespace,
        labels: drLabels("agents", "offsite-copy"),
        schedule: settings.schedule,
        script: "offsite-copy.sh",
        claims: [{ claimName: WORKER_STORE_PVC, mountPath: STORE_MOUNT }],
        env: { ...env, DR_SOURCE_DIR: QALITA_DIR, DR_EXCLUDE_FROM: EXCLUDE_PATH, DR_BWLIMIT: settings.bandwidthLimit ?? DEFAULT_BWLIMIT },
        secretEnv: [...cryptSecretEnv(settings.cryptSecretName), ...secretEnv, heartbeatSecretEnv(settings.release)],
        affinity: besideWorker(settings.workerPodLabels),
    };
}
