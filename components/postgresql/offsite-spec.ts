/**
 * Pure: the OffsiteCopy arguments of the PostgreSQL dump → cold storage copy
 * (scripts/offsite-copy.sh; its header is the environment contract).
 */
import { drLabels } from "../../contracts/labels";
import { postgresOffsiteName } from "../../contracts/names";
import { dumpClaimName } from "../../contracts/qalita-chart";
import { PodAffinity } from "../jobs/pod";
import { ElementCopyArgs, ElementCopySettings } from "../offsite/cronjob-spec";
import { DEFAULT_BWLIMIT } from "../../config/catalog";
import { destinationEnv } from "../offsite/destination";
import { offsiteCopyJobFiles } from "../offsite/scripts";
import { heartbeatSecretEnv } from "../monitoring/heartbeat-spec";
import { BITNAMI_GROUP } from "./restore-job-spec";

/** Where Bitnami's backup CronJob mounts its PVC (`backup.cronjob.storage.mountPath`). */
export const DUMP_MOUNT = "/backup/pgdump";

/** The copy runs hourly (config/dump-timing.ts) and ships each complete dump once. */
export interface PostgresCopySettings extends ElementCopySettings {
    /**
     * The dump's freshness budget (its stale alert's, components/monitoring/paths.ts): the copy
     * relays the dump's last run to the heartbeat, and one older than this as a failure.
     */
    readonly dumpMaxAgeSeconds?: number;
}

/** The ConfigMap files of the copy: its script and the shell it sources. */
export function postgresCopyFiles(): Record<string, string> {
    return offsiteCopyJobFiles("postgresql", ["offsite-copy.sh"]);
}

export function postgresCopyArgs(settings: PostgresCopySettings): ElementCopyArgs {
    const { env, secretEnv } = destinationEnv(settings.destination, settings.prefix);
    return {
        name: postgresOffsiteName(settings.release),
        namespace: settings.namespace,
        labels: drLabels("postgresql", "offsite-copy"),
        schedule: settings.schedule,
        script: "offsite-copy.sh",
        claims: [{ claimName: dumpClaimName(settings.release), mountPath: DUMP_MOUNT }],
        env: {
            ...env,
            PGDUMP_DIR: DUMP_MOUNT,
            DR_BWLIMIT: settings.bandwidthLimit ?? DEFAULT_BWLIMIT,
            ...(settings.dumpMaxAgeSeconds ? { DR_DUMP_MAX_AGE_SECONDS: String(settings.dumpMaxAgeSeconds) } : {}),
        },
        secretEnv: [...secretEnv, heartbeatSecretEnv(settings.release)],
        // Dumps are written by Bitnami's uid 1001 on a volume with fsGroup 1001, group-readable.
        supplementalGroups: [BITNAMI_GROUP],
        affinity: besideRunningDump(settings.release),
    };
}

/**
 * The dump PVC is ReadWriteOnce: a copy scheduled on another node than a running dump waits for
 * the volume until the dump ends. Preferring the dump pod's node (when one runs) lets both mount
 * it at once; the copy only ever reads complete dumps, so sharing is safe. Labels from Bitnami's
 * templates/backup/cronjob.yaml (common.labels.standard + component).
 */
export function besideRunningDump(release: string): PodAffinity {
    return {
        podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                {
                    weight: 100,
                    podAffinityTerm: {
                        labelSelector: { matchLabels: { "app.kubernetes.io/instance": release, "app.kubernetes.io/component": "pg_dumpall" } },
                        topologyKey: "kubernetes.io/hostname",
                    },
                },
            ],
        },
    };
}
