/**
 * The DR posture: one row per element — what protects it and how well — with every protection
 * path (dump, offsite copy, VolumeSnapshot) spelled out with its own RPO and expected RTO, and the
 * DR gaps the stack can't close by itself. Exported as the stack outputs `drPosture` (a contract
 * other tools read) and `drWarnings`, and printed by `npm run plan`.
 *
 * The one owner of the posture rows. Pure — no Pulumi, nothing registered: it reads the resolved
 * DrSpec and the snapshot plan (snapshots/plan.ts, which computes when each PVC set is snapshotted
 * and how old its data can be), so it sits above config/ and beside the components it describes;
 * index.ts and tools/ use it (.dependency-cruiser.cjs: `posture-is-pure`).
 */
import { ELEMENTS, ElementName, PvcSetName } from "../contracts/elements";
import { Mechanism, VERIFYING_MECHANISMS } from "../contracts/labels";
import { dumpClaimName } from "../contracts/qalita-chart";
import { dumpRpoHours, offsiteRpoHours, OFFSITE_POLL_MINUTES } from "../config/dump-timing";
import { formatHours } from "../config/schedule";
import { collisionWarning, scheduleCollisions } from "../config/schedule-collisions";
import { scheduledJobs } from "../config/scheduled-jobs";
import type { DrSpec, ElementSpec, PostgresqlDrillSpec, ScheduleSpec, SnapshotsSpec } from "../config/spec";
import type { PlannedSchedule } from "./snapshots/plan";
import { budgetSeconds, monitoredPaths } from "./monitoring/paths";
import { FreshnessAlert, freshnessAlerts } from "./monitoring/rules-spec";
import { pitrPosturePaths } from "./postgresql/pitr/posture";

/** One way an element's state can be brought back. */
export interface PosturePath {
    readonly mechanism: string;
    readonly schedule: string;
    /** Worst-case data loss restoring through this path. */
    readonly rpoHours: number;
    /** Expected time to restore, in words. */
    readonly rto: string;
    readonly retentionDays: number;
    readonly destination: string;
    readonly restore: string;
    /** Its freshness alerts, with qalita-dr:monitoring on (docs/monitoring.md). */
    readonly monitoring?: PathMonitoring;
}

export interface PathMonitoring {
    /** The object whose last success the alerts read: "CronJob qalita/qalita-postgresql-pgdumpall". */
    readonly watches: string;
    /** Hours without a success before the path's stale alert fires. */
    readonly staleAfterHours: number;
    readonly alerts: string[];
}

export interface PostureRow {
    readonly element: ElementName;
    readonly criticality: string;
    readonly mechanisms: string[];
    readonly schedule: string;
    /** Best worst-case data loss over the paths, in hours; null when nothing backs the element up. */
    readonly rpoHours: number | null;
    readonly retentionDays: number | null;
    readonly destination: string;
    readonly restore: string;
    readonly paths: PosturePath[];
    /** The accepted risk's reason, when the config accepts one. */
    readonly acceptedRisk?: string;
}

export interface PostureWarning {
    /** Absent when the gap concerns every snapshot schedule. */
    readonly element?: ElementName;
    readonly message: string;
}

/** The posture rows, and the DR gaps, of a resolved spec whose snapshots are planned as `schedules` (plannedSchedules). */
export function buildPosture(spec: DrSpec, schedules: readonly PlannedSchedule[]): { rows: PostureRow[]; warnings: PostureWarning[] } {
    const snapshots = snapshotPosture(schedules, spec.snapshots);
    const alerts = spec.monitoring.enabled ? freshnessAlerts(monitoredPaths(spec, schedules), spec.monitoring) : [];
    const snapshotPaths = snapshots.rows.map(({ element, ...path }) => ({
        element,
        path: {
            ...path,
            destination: `VolumeSnapshots of ${path.pvcSet} PVCs (${spec.snapshots.className ?? "default class"})`,
            ...monitoringOf(alerts, element, path.mechanism, path.pvcSet),
        },
    }));
    const rows = ELEMENTS.map((element) =>
        row(spec.elements[element], [
            ...ownPaths(spec, spec.elements[element]).map((path) => ({ ...path, ...monitoringOf(alerts, element, path.mechanism) })),
            ...snapshotPaths.filter((snapshot) => snapshot.element === element).map((snapshot) => snapshot.path),
        ]),
    );
    // Jobs of different schedules starting together slow each other down: say which, and where to move one.
    const collisions = scheduleCollisions(scheduledJobs(spec, schedules)).map(collisionWarning);
    return { rows, warnings: [...snapshots.warnings, ...collisions] };
}

/** `{ monitoring }` of the path the alerts watch as (element, mechanism, PVC set); nothing when none does. */
function monitoringOf(alerts: readonly FreshnessAlert[], element: ElementName, mechanism: string, pvcSet?: PvcSetName): { monitoring?: PathMonitoring } {
    const own = alerts.filter(({ path }) => path.element === element && path.mechanism === mechanism && path.pvcSet === pvcSet);
    if (own.length === 0) return {};
    const { watches } = own[0].path;
    return {
        monitoring: {
            watches: `${watches.kind} ${watches.namespace}/${watches.name}`,
            staleAfterHours: budgetSeconds(own[0].path) / 3600,
            alerts: own.map((alert) => alert.rule.alert),
        },
    };
}

// ── The VolumeSnapshot paths ────────────────────────────────────────────────────────────────

export interface SnapshotPostureRow {
    readonly element: ElementName;
    readonly pvcSet: PvcSetName;
    readonly mechanism: "volume-snapshot";
    readonly schedule: string;
    /** Worst-case data loss restoring from the newest snapshot. */
    readonly rpoHours: number;
    readonly rto: string;
    readonly retentionDays: number;
    readonly restore: string;
}

const CLONE_RTO = "minutes: CSI clone of a volume, whatever its size";

const RTO: Readonly<Record<PvcSetName, string>> = {
    s3: `${CLONE_RTO}; volume and filer restored together`,
    agents: `${CLONE_RTO}; then qalita worker login`,
    "postgresql-data": `${CLONE_RTO}, then WAL replay on start (crash-consistent)`,
    "postgresql-dump": `${CLONE_RTO}, then pg_restore of a dump (docs/restore.md)`,
    redis: CLONE_RTO,
};

/** What the VolumeSnapshot path gives each protected PVC set — RPO and expected RTO — and the DR gaps it leaves, as warnings. */
export function snapshotPosture(
    schedules: readonly PlannedSchedule[],
    snapshots: Pick<SnapshotsSpec, "className" | "createdClass">,
): { rows: SnapshotPostureRow[]; warnings: PostureWarning[] } {
    const rows = schedules.map((planned): SnapshotPostureRow => ({
        element: planned.element,
        pvcSet: planned.pvcSet,
        mechanism: "volume-snapshot",
        schedule: planned.words,
        rpoHours: planned.timing.intervalHours + planned.dataLagHours,
        rto: RTO[planned.pvcSet],
        retentionDays: planned.timing.retentionDays,
        restore: `restore.pvc {element: ${planned.pvcSet}, snapshot} → docs/restore-pvc.md`,
    }));
    const warnings: PostureWarning[] = [];
    if (schedules.some((planned) => planned.pvcSet === "s3")) {
        warnings.push({
            element: "s3",
            message:
                "the SeaweedFS master keeps its -mdir (Raft state, cluster identity) on a hostPath of whichever node it runs on: no snapshot covers it. Move it to a PVC with the values overlay seaweedfs.master.data = { type: persistentVolumeClaim, size: 1Gi } — on an existing release the StatefulSet must be deleted with --cascade=orphan first (volumeClaimTemplates are immutable); the s3 schedule then selects the master PVC too",
        });
        warnings.push({
            element: "s3",
            message:
                "the volume and filer snapshots are taken separately, so they are not consistent with each other (filer entries may point at blobs a volume snapshot lacks); the offsite copy through the S3 API is object-consistent and is the copy to restore from after a partial loss",
        });
    }
    if (snapshots.createdClass?.deletionPolicy === "Retain") {
        warnings.push({
            message: `class ${snapshots.createdClass.name} retains storage snapshots when snapscheduler expires their VolumeSnapshots: retention does not free storage; delete released VolumeSnapshotContents (kubectl get volumesnapshotcontents) or set snapshots.deletionPolicy: Delete`,
        });
    }
    if (!snapshots.className && schedules.length > 0) {
        warnings.push({
            message:
                'no VolumeSnapshotClass configured: the schedules use the cluster\'s default class; check that one carries snapshot.storage.kubernetes.io/is-default-class: "true", or set snapshots.className or snapshots.driver',
        });
    }
    return { rows, warnings };
}

// ── The paths the DrSpec alone decides ──────────────────────────────────────────────────────

/** `s3://bucket/postgresql/ (STANDARD → … , expire 365 d)`: where offsite copies go and age. */
function coldDestination(spec: DrSpec, element: ElementName): string {
    const cold = spec.coldStorage.elements.find((entry) => entry.element === element);
    return `s3://${spec.coldStorage.bucketName}/${spec.elements[element].coldStoragePrefix ?? ""}${cold ? ` (${cold.tieringWords})` : ""}`;
}

/** PostgreSQL's dump, and every element's offsite copy. */
function ownPaths(spec: DrSpec, element: ElementSpec): PosturePath[] {
    if (!element.enabled || !element.schedule) return [];
    if (element.element === "s3" && element.offsiteUtcCron) {
        return [
            {
                mechanism: "offsite-copy",
                schedule: scheduleText(element),
                rpoHours: element.schedule.intervalHours,
                rto: "hours: rclone copy back through the SeaweedFS S3 API, object-consistent",
                retentionDays: element.retentionDays ?? 0,
                destination: coldDestination(spec, "s3"),
                restore: "rclone copy s3/<bucket> back (docs/restore-pvc.md › SeaweedFS)",
            },
        ];
    }
    if (element.element === "agents" && element.offsiteUtcCron && spec.agents.worker) {
        return [
            {
                mechanism: "offsite-copy",
                schedule: scheduleText(element),
                rpoHours: element.schedule.intervalHours,
                rto: "minutes: restore Job copies ~/.qalita back (credential files never), the worker logs in and re-links sources on start",
                retentionDays: element.retentionDays ?? 0,
                destination: `${coldDestination(spec, "agents")}, rclone crypt (client-side encrypted)`,
                restore: "restore.agents {from: latest} → restore Job, then relink: true (docs/restore-agents.md)",
            },
        ];
    }
    if (element.element !== "postgresql") return [];
    const schedule = scheduleText(element);
    const restore = "restore.postgresql {from, source} → restore Job (docs/restore.md)";
    const paths: PosturePath[] = [
        {
            mechanism: "pg-dump",
            schedule,
            rpoHours: dumpRpoHours(element.schedule.intervalHours, spec.postgresqlDump.expectedRunMinutes),
            rto: "pg_restore -j of the newest dump: minutes per GB (docs/benchmarks.md)",
            retentionDays: spec.postgresqlDump.keepDays,
            destination: `PVC ${dumpClaimName(spec.release)}`,
            restore: `${restore}, source: pvc`,
        },
    ];
    if (element.offsiteUtcCron) {
        paths.push({
            mechanism: "offsite-copy",
            schedule: `every ${OFFSITE_POLL_MINUTES} min ("${element.offsiteUtcCron}" UTC): each complete dump once, however late or long its run`,
            rpoHours: offsiteRpoHours(element.schedule.intervalHours, spec.postgresqlDump.expectedRunMinutes),
            rto: "the dump's restore plus its download; hours more once in GLACIER/DEEP_ARCHIVE (restore-object first)",
            retentionDays: element.retentionDays ?? 0,
            destination: coldDestination(spec, "postgresql"),
            restore: `${restore}, source: cold`,
        });
    }
    paths.push(...pitrPosturePaths(spec));
    const drill = spec.drills.postgresql;
    const drilled = drill && paths.find((path) => path.restore.endsWith(`source: ${drill.source}`));
    return drill && drilled ? [...paths, drillPath(drill, drilled)] : paths;
}

/**
 * The restore drill exercises one path end to end — the newest dump restored into a throwaway
 * server and checked — so it shows that path's worst-case RPO and what the drill measures of it;
 * it keeps nothing itself.
 */
function drillPath(drill: PostgresqlDrillSpec, drilled: PosturePath): PosturePath {
    return {
        mechanism: "restore-drill",
        schedule: scheduleWords(drill.schedule),
        rpoHours: drilled.rpoHours,
        rto: "measured by every drill: download + restore of the newest dump (DRILL_RESULT, qalita_dr_drill_*_seconds)",
        retentionDays: 0,
        destination: "a throwaway PostgreSQL in the drill pod; nothing kept",
        restore: `proves ${drilled.mechanism} restores: manifest, row counts, roles, pg_amcheck (docs/drills.md)`,
    };
}

function row(element: ElementSpec, paths: PosturePath[]): PostureRow {
    const base = { element: element.element, criticality: element.criticality, ...(element.acceptedRisk ? { acceptedRisk: element.acceptedRisk } : {}) };
    if (!element.enabled || paths.length === 0) {
        const none = element.criticality === "none";
        return {
            ...base,
            mechanisms: [],
            schedule: none ? "not needed" : "off",
            rpoHours: null,
            retentionDays: null,
            destination: none ? element.state : "none",
            restore: none ? "redeploy the chart" : "none",
            paths: [],
        };
    }
    return {
        ...base,
        mechanisms: [...new Set(paths.map((path) => path.mechanism))],
        schedule: element.schedule ? scheduleText(element) : paths[0].schedule,
        rpoHours: Math.min(...paths.map((path) => path.rpoHours)),
        retentionDays: Math.max(...paths.map((path) => path.retentionDays)),
        // Where backups are: a drill keeps nothing.
        destination: paths
            .filter((path) => !VERIFYING_MECHANISMS.includes(path.mechanism as Mechanism))
            .map((path) => path.destination)
            .join("; "),
        restore: paths[0].restore,
        paths,
    };
}

/** Schedule in words, plus the UTC cron actually deployed when the user wrote local time. */
function scheduleText(element: ElementSpec): string {
    return scheduleWords(element.schedule!);
}

function scheduleWords(schedule: ScheduleSpec): string {
    if (schedule.timezone === "UTC") return schedule.words;
    const dst = schedule.dstShiftMinutes ? `; ${formatHours(schedule.dstShiftMinutes / 60)} later in local time during DST` : "";
    return `${schedule.words}; deployed as "${schedule.utcCron}" UTC${dst}`;
}
