/** The fully resolved DR model every component is built from. Plain data, no Pulumi types. */
import type { ResolvedImage } from "../contracts/qalita-chart";
import { Criticality, ElementName } from "../contracts/elements";
import { AgentsSpec } from "./agents-config";
import { ColdStorageSpec } from "./cold-storage-config";
import { PvcRestoreSpec, SnapshotsSpec } from "./snapshots-config";
import { TierStep } from "./raw-schema";

export interface ScheduleSpec {
    /** As configured (normalised to five fields), in `timezone`. */
    readonly cron: string;
    readonly timezone: string;
    /** The same schedule in UTC, for the CronJob controller and snapscheduler. */
    readonly utcCron: string;
    /** How much later (minutes) runs happen in local time while DST is in effect. */
    readonly dstShiftMinutes: number;
    readonly words: string;
    /** Longest gap between two runs: the worst-case RPO of this schedule. */
    readonly intervalHours: number;
}

export interface ElementSpec {
    readonly element: ElementName;
    readonly criticality: Criticality;
    readonly enabled: boolean;
    readonly state: string;
    /** Absent for elements with nothing to back up. */
    readonly schedule?: ScheduleSpec;
    readonly retentionDays?: number;
    readonly tiering?: readonly TierStep[];
    /** Present when the config accepts a risk (looser schedule, disabled critical element). */
    readonly acceptedRisk?: string;
}

export interface DrSpec {
    readonly namespace: string;
    readonly release: string;
    readonly chartVersion: string;
    readonly manageRelease: boolean;
    /** QALITA is already installed: keep its values (helm reuse-values), read its secrets, generate none. */
    readonly adopt: boolean;
    /** `aws:region`: where the backup bucket lives. */
    readonly awsRegion: string;
    /** User values for the QALITA release, merged under the stack's own. */
    readonly userReleaseValues: Record<string, unknown>;
    /** The release's PostgreSQL image and pull secrets (user values over the chart's): our PostgreSQL pods run it. */
    readonly postgresqlImage: ResolvedImage;
    readonly coldStorage: ColdStorageSpec;
    readonly snapshots: SnapshotsSpec;
    /** Workers: token source, backup schedule, restore. */
    readonly agents: AgentsSpec;
    /** Which pinned secrets adopt configured values (names only: values stay Pulumi secrets). */
    readonly adoptedSecrets: readonly ("backendSecretKey" | "adminPassword" | "postgresPassword" | "postgresUserPassword")[];
    readonly elements: Readonly<Record<ElementName, ElementSpec>>;
    readonly restore: {
        readonly pvc?: PvcRestoreSpec;
        readonly postgresql?: { readonly from: string; readonly source: "pvc" | "cold"; readonly jobs: number; readonly replace: boolean; readonly scratchSize: string };
    };
    /** How the dump CronJob keeps dumps on its PVC, and when the offsite copy follows it. */
    readonly postgresqlDump: {
        readonly keepDays: number;
        readonly keepMin: number;
        readonly jobs: number;
        readonly storageSize: string;
        readonly storageClass?: string;
        /** What a dump plus its upload take at most, in minutes: counted in the RPO shown. */
        readonly expectedRunMinutes: number;
        /** UTC cron of the dump PVC's snapshot: an hour after the dump starts. */
        readonly snapshotUtcCron?: string;
        /** UTC cron of the offsite copy: hourly, so a late or long dump leaves promptly too. */
        readonly offsiteUtcCron?: string;
    };
}
