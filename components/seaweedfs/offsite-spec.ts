/**
 * Pure: the OffsiteCopy arguments of the SeaweedFS → cold storage copy
 * (scripts/offsite-copy.sh; its header is the environment contract).
 */
import { drLabels } from "../../contracts/labels";
import { seaweedfsOffsiteName } from "../../contracts/names";
import { DEFAULT_BWLIMIT } from "../../config/catalog";
import { destinationEnv } from "../offsite/destination";
import { ElementCopyArgs, ElementCopySettings } from "../offsite/cronjob-spec";
import { offsiteCopyJobFiles } from "../offsite/scripts";
import { heartbeatSecretEnv } from "../monitoring/heartbeat-spec";
import { QALITA_S3_SECRET, SeaweedfsSourceCredentials, sourceSecretEnv } from "./source-credentials";

/** The SeaweedFS chart's S3 gateway Service, as QALITA's backend reaches it. */
export const SEAWEEDFS_S3_ENDPOINT = "http://seaweedfs-s3:8333";

export interface SeaweedfsCopySettings extends ElementCopySettings {
    /** @default QALITA_S3_SECRET (see source-credentials.ts) */
    readonly sourceCredentials?: SeaweedfsSourceCredentials;
    /** @default every bucket */
    readonly buckets?: readonly string[];
}

export const SEAWEEDFS_SCRIPT = "offsite-copy.sh";

/** The ConfigMap files of the copy: its script — the very file the integration test runs against real rclone and S3 servers — and the shell it sources. */
export function seaweedfsCopyFiles(): Record<string, string> {
    return offsiteCopyJobFiles("seaweedfs", [SEAWEEDFS_SCRIPT]);
}

export function seaweedfsCopyArgs(settings: SeaweedfsCopySettings): ElementCopyArgs {
    const { env, secretEnv } = destinationEnv(settings.destination, settings.prefix);
    return {
        name: seaweedfsOffsiteName(settings.release),
        namespace: settings.namespace,
        labels: drLabels("s3", "offsite-copy"),
        schedule: settings.schedule,
        script: SEAWEEDFS_SCRIPT,
        // Nothing mounted: the copy reads objects through the S3 API, which keeps each object
        // consistent with the filer's metadata (volume snapshots taken apart are not).
        claims: [],
        env: {
            ...env,
            DR_SOURCE_ENDPOINT: SEAWEEDFS_S3_ENDPOINT,
            DR_BWLIMIT: settings.bandwidthLimit ?? DEFAULT_BWLIMIT,
            ...(settings.buckets?.length ? { DR_SOURCE_BUCKETS: settings.buckets.join(" ") } : {}),
        },
        secretEnv: [...sourceSecretEnv(settings.sourceCredentials ?? QALITA_S3_SECRET), ...secretEnv, heartbeatSecretEnv(settings.release)],
    };
}
