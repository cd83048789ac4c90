/**
 * The fully resolved DR model every component is built from: plain data, no Pulumi types. A leaf
 * of config/: it imports nothing but contracts/, and every area's resolver (config/<area>/
 * resolve.ts) and schema import it, never the reverse — the resolved types live here, the raw
 * (as-written) types beside their schemas.
 */
import type { Criticality, ElementName, PvcSetName } from "../contracts/elements";
import type { ResolvedImage } from "../contracts/qalita-chart";
import type { LifecycleRule } from "../contracts/s3-lifecycle/lifecycle-rule";
import type { TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES } from "../contracts/s3-lifecycle/lifecycle-validate";
import type { StorageClass, TransitionClass } from "../contracts/s3-lifecycle/storage-classes";
import type { PvcSelection } from "../contracts/snapshot-claims";

// ── Schedules and elements ──────────────────────────────────────────────────────────────────

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

/** One cold-storage tiering step (`elements.<element>.tiering[]`). */
export interface TierStep {
    readonly storageClass: TransitionClass;
    readonly afterDays: number;
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
    /**
     * Key prefix of the element's copies in the cold-storage bucket, e.g. `postgresql/`: the one
     * source of it — the copy jobs write there, its lifecycle rule acts there, the writer may only
     * write there. Absent for elements with nothing to back up.
     */
    readonly coldStoragePrefix?: string;
    /** UTC cron of the element's offsite copy to cold storage; absent when no copy runs (element off, or none for it). */
    readonly offsiteUtcCron?: string;
    /** Present when the config accepts a risk (looser schedule, disabled critical element). */
    readonly acceptedRisk?: string;
}

/** How the dump CronJob keeps dumps on its PVC, and when its PVC is snapshotted. */
export interface PostgresqlDumpSpec {
    readonly keepDays: number;
    readonly keepMin: number;
    readonly jobs: number;
    readonly storageSize: string;
    readonly storageClass?: string;
    /** What a dump plus its upload take at most, in minutes: counted in the RPO shown. */
    readonly expectedRunMinutes: number;
    /** UTC cron of the dump PVC's snapshot: an hour after the dump starts. */
    readonly snapshotUtcCron?: string;
}

/**
 * Point-in-time recovery (`elements.postgresql.pitr`, docs/pitr.md): a WAL receiver, base backups
 * on a schedule, both copied to cold storage under `coldStoragePrefix`.
 */
export interface PostgresqlPitrSpec {
    readonly baseBackupSchedule: ScheduleSpec;
    /** UTC cron of the copy to cold storage. */
    readonly copyUtcCron: string;
    /** Longest gap between two copies, in hours: the RPO of a restore from the bucket. */
    readonly copyIntervalHours: number;
    readonly keepBaseBackups: number;
    readonly storageSize: string;
    readonly storageClass?: string;
    /** `max_slot_wal_keep_size` of the primary, as PostgreSQL writes it ("2GB"). */
    readonly maxSlotWalKeepSize: string;
    /** Commits wait for the receiver's flush (synchronous_standby_names): RPO 0, at the cost of waiting while it is down. */
    readonly synchronous: boolean;
    /** `postgresql/pitr/`: under the element's own prefix, so its lifecycle rule and the writer's grant cover it. */
    readonly coldStoragePrefix: string;
    /** A restore to a point in time, when `restore.postgresql.source` is pitr. */
    readonly restore?: PitrRestoreSpec;
}

export interface PitrRestoreSpec {
    /** RFC 3339 with its offset, or "latest". */
    readonly targetTime: string;
    /** Where the base backup and the WAL are read from. */
    readonly archive: "pvc" | "cold";
}

// ── Cold storage ────────────────────────────────────────────────────────────────────────────

/** Elements whose backups can go to cold storage. */
export type BackedUpElement = "postgresql" | "s3" | "agents" | "redis";

/**
 * How an element's offsite copy writes into its prefix, which decides what its noncurrent
 * versions are and so how long they are kept (config/cold-storage/lifecycle-derive.ts):
 * `per-backup` — every backup under keys of its own, never rewritten (a PostgreSQL dump id);
 * `mirror` — the same keys rewritten by every run (rclone copy of a tree: s3, agents).
 */
export type ColdLayout = "per-backup" | "mirror";

/** USD per GB-month of stored data, by class. */
export type PriceTable = Readonly<Record<StorageClass, number>>;

export type TransitionDefaultMinimumObjectSize = (typeof TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES)[number];

export interface ColdStorageElementSpec {
    readonly element: BackedUpElement;
    /** The element's ElementSpec.coldStoragePrefix. */
    readonly prefix: string;
    readonly layout: ColdLayout;
    readonly rule: LifecycleRule;
    /** "STANDARD → STANDARD_IA 30 d → …, expire 365 d", for the posture table. */
    readonly tieringWords: string;
    readonly expectedBackupSizeGb: number;
}

export interface ColdStorageSpec {
    readonly bucketName: string;
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    readonly replicaRegion?: string;
    readonly transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize;
    /** `issuer` is the issuer URL without scheme, as IAM condition keys spell it. */
    readonly oidc?: { readonly providerArn: string; readonly issuer: string };
    /** Every enabled element with a retention, in catalog order. */
    readonly elements: readonly ColdStorageElementSpec[];
    readonly prices: PriceTable;
    readonly repositoryPrefixes: readonly string[];
}

// ── Snapshots ───────────────────────────────────────────────────────────────────────────────

export interface SnapshotsSpec {
    /** The class every schedule names; undefined: the cluster's default VolumeSnapshotClass. */
    readonly className?: string;
    /** Present when the stack creates the class. */
    readonly createdClass?: {
        readonly name: string;
        readonly driver: string;
        readonly deletionPolicy: "Retain" | "Delete";
        readonly parameters: Readonly<Record<string, string>>;
    };
    readonly operator?: { readonly chartVersion: string; readonly namespace: string };
    readonly postgresqlData: { readonly enabled: boolean; readonly schedule?: ScheduleSpec; readonly retentionDays: number };
    readonly selections: Readonly<Partial<Record<PvcSetName, PvcSelection>>>;
}

// ── Restores ────────────────────────────────────────────────────────────────────────────────

export const ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export interface PvcRestoreSpec {
    readonly pvcSet: PvcSetName;
    readonly snapshot: string;
    readonly pvcName?: string;
    readonly storageClass?: string;
    readonly accessModes: readonly AccessMode[];
    readonly size?: string;
}

export interface PostgresqlRestoreSpec {
    readonly from: string;
    readonly source: "pvc" | "cold";
    readonly jobs: number;
    readonly replace: boolean;
    readonly scratchSize: string;
}

export interface AgentsRestoreSpec {
    readonly from: "latest";
    readonly relink: boolean;
}

// ── Agents ──────────────────────────────────────────────────────────────────────────────────

export type WorkerTokenSource =
    /** The stack creates Secret `<release>-dr-worker` (key `token`) from secrets.workerToken. */
    | { readonly kind: "stack"; readonly secretName: string; readonly key: string }
    /** A Secret someone else manages. */
    | { readonly kind: "existing"; readonly secretName: string; readonly key: string };

export interface WorkerSpec {
    readonly token: WorkerTokenSource;
    /** QALITA_WORKER_* set by the stack; an absent one keeps the chart's value. */
    readonly env: { readonly name?: string; readonly mode?: "worker" | "job"; readonly endpoint?: string };
    readonly storageSize: string;
    readonly podLabels: Readonly<Record<string, string>>;
}

export interface AgentsSpec {
    /** Absent when no worker runs (releaseValues.worker.enabled unset and elements.agents off). */
    readonly worker?: WorkerSpec;
    readonly bandwidthLimit: string;
    /** The crypt key comes from secrets.agentsCrypt* instead of being generated. */
    readonly cryptAdopted: boolean;
    readonly restore?: AgentsRestoreSpec;
}

// ── Drills ──────────────────────────────────────────────────────────────────────────────────

/** The scheduled PostgreSQL restore drill (`drills.postgresql`, docs/drills.md). */
export interface PostgresqlDrillSpec {
    readonly schedule: ScheduleSpec;
    /** Where it takes the newest dump: cold storage (the path a disaster leaves) or the dump PVC. */
    readonly source: "cold" | "pvc";
    /** Size limit of each scratch volume (the fetched dump; the throwaway server's data). */
    readonly scratchSize: string;
}

export interface DrillsSpec {
    /** Absent when off, or when there is nothing to drill. */
    readonly postgresql?: PostgresqlDrillSpec;
    /** `http://…` of a Prometheus Pushgateway the drills push their metrics to. */
    readonly pushgatewayUrl?: string;
}

// ── Monitoring ──────────────────────────────────────────────────────────────────────────────

/** The freshness alerts of every protection path (qalita-dr:monitoring). */
export interface MonitoringSpec {
    readonly enabled: boolean;
    /** Namespace of the PrometheusRule. */
    readonly namespace: string;
    /** Labels the Prometheus operator selects the rule by. */
    readonly ruleLabels: Readonly<Record<string, string>>;
    /** Minutes added to a path's longest expected gap between two successes before its alert fires. */
    readonly graceMinutes: Readonly<Record<"critical" | "moderate" | "low", number>>;
    /** Where docs/ is published: alerts link `<runbookBaseUrl>monitoring.md#<signal>`. */
    readonly runbookBaseUrl: string;
    /** A heartbeat URL is configured (its value stays a Pulumi secret: config/from-pulumi.ts). */
    readonly heartbeat: boolean;
}

// ── The whole stack ─────────────────────────────────────────────────────────────────────────

/** Release secrets the stack pins, which `secrets.*` may adopt (the other `secrets.*` are the agents'). */
export const PINNED_SECRETS = ["backendSecretKey", "adminPassword", "postgresPassword", "postgresUserPassword"] as const;
export type PinnedSecret = (typeof PINNED_SECRETS)[number];

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
    /** Workers: token source, copy settings, restore. */
    readonly agents: AgentsSpec;
    /** Which pinned secrets adopt configured values (names only: values stay Pulumi secrets, config/from-pulumi.ts). */
    readonly adoptedSecrets: readonly PinnedSecret[];
    readonly elements: Readonly<Record<ElementName, ElementSpec>>;
    readonly restore: {
        readonly pvc?: PvcRestoreSpec;
        readonly postgresql?: PostgresqlRestoreSpec;
    };
    /** How the dump CronJob keeps dumps on its PVC (its offsite copy: elements.postgresql.offsiteUtcCron). */
    readonly postgresqlDump: PostgresqlDumpSpec;
    /** Point-in-time recovery; absent unless `elements.postgresql.pitr.enabled`. */
    readonly postgresqlPitr?: PostgresqlPitrSpec;
    /** Freshness alerts (a PrometheusRule), off unless enabled. */
    readonly monitoring: MonitoringSpec;
    /** Scheduled restore drills. */
    readonly drills: DrillsSpec;
}
