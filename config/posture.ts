/**
 * The DR posture: one row per element — what protects it and how well — with every protection
 * path (dump, offsite copy, snapshot) spelled out with its own RPO and expected RTO. Exported as
 * the stack output `drPosture` (a contract other tools read) and printed by `npm run plan`.
 */
import { ELEMENTS, ElementName } from "../contracts/elements";
import { dumpClaimName } from "../contracts/qalita-chart";
import { formatHours } from "./element";
import { dumpRpoHours, offsiteRpoHours, OFFSITE_POLL_MINUTES } from "./dump-timing";
import { DrSpec, ElementSpec } from "./spec";

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

/** Paths and warnings computed by the components (snapshots, copies), which config can't import. */
export interface PostureContext {
    readonly paths: readonly (PosturePath & { readonly element: ElementName })[];
}

export function buildPosture(spec: DrSpec, context: PostureContext): PostureRow[] {
    return ELEMENTS.map((element) => row(spec.elements[element], [
        ...ownPaths(spec, spec.elements[element]),
        ...context.paths.filter((path) => path.element === element).map(({ element: _element, ...path }) => path),
    ]));
}

/** `s3://bucket/postgresql/ (STANDARD → … , expire 365 d)`: where offsite copies go and age. */
export function coldDestination(spec: DrSpec, element: ElementName): string {
    const cold = spec.coldStorage.elements.find((entry) => entry.element === element);
    return `s3://${spec.coldStorage.bucketName}/${element}/${cold ? ` (${cold.tieringWords})` : ""}`;
}

/** The paths config alone decides: PostgreSQL's dump, and every element's offsite copy. */
function ownPaths(spec: DrSpec, element: ElementSpec): PosturePath[] {
    if (!element.enabled || !element.schedule) return [];
    if (element.element === "s3") {
        return [{
            mechanism: "offsite-copy", schedule: scheduleText(element), rpoHours: element.schedule.intervalHours,
            rto: "hours: rclone copy back through the SeaweedFS S3 API, object-consistent", retentionDays: element.retentionDays ?? 0,
            destination: coldDestination(spec, "s3"), restore: "rclone copy s3/<bucket> back (docs/restore-pvc.md › SeaweedFS)",
        }];
    }
    if (element.element === "agents" && spec.agents.backupUtcCron && spec.agents.worker) {
        return [{
            mechanism: "offsite-copy", schedule: scheduleText(element), rpoHours: element.schedule.intervalHours,
            rto: "minutes: restore Job copies ~/.qalita back (credential files never), the worker logs in and re-links sources on start",
            retentionDays: element.retentionDays ?? 0,
            destination: `${coldDestination(spec, "agents")}, rclone crypt (client-side encrypted)`,
            restore: "restore.agents {from: latest} → restore Job, then relink: true (docs/restore-agents.md)",
        }];
    }
    if (element.element !== "postgresql") return [];
    const schedule = scheduleText(element);
    const restore = "restore.postgresql {from, source} → restore Job (docs/restore.md)";
    return [
        {
            mechanism: "pg-dump", schedule, rpoHours: dumpRpoHours(element.schedule.intervalHours, spec.postgresqlDump.expectedRunMinutes),
            rto: "pg_restore -j of the newest dump: minutes per GB (docs/benchmarks.md)",
            retentionDays: spec.postgresqlDump.keepDays,
            destination: `PVC ${dumpClaimName(spec.release)}`, restore: `${restore}, source: pvc`,
        },
        {
            mechanism: "offsite-copy",
            schedule: `every ${OFFSITE_POLL_MINUTES} min ("${spec.postgresqlDump.offsiteUtcCron}" UTC): each complete dump once, however late or long its run`,
            rpoHours: offsiteRpoHours(element.schedule.intervalHours, spec.postgresqlDump.expectedRunMinutes),
            rto: "the dump's restore plus its download; hours more once in GLACIER/DEEP_ARCHIVE (restore-object first)",
            retentionDays: element.retentionDays ?? 0,
            destination: coldDestination(spec, "postgresql"), restore: `${restore}, source: cold`,
        },
    ];
}

function row(element: ElementSpec, paths: PosturePath[]): PostureRow {
    const base = { element: element.element, criticality: element.criticality, ...(element.acceptedRisk ? { acceptedRisk: element.acceptedRisk } : {}) };
    if (!element.enabled || paths.length === 0) {
        const none = element.criticality === "none";
        return { ...base, mechanisms: [], schedule: none ? "not needed" : "off", rpoHours: null, retentionDays: null, destination: none ? element.state : "none", restore: none ? "redeploy the chart" : "none", paths: [] };
    }
    return {
        ...base,
        mechanisms: [...new Set(paths.map((path) => path.mechanism))],
        schedule: element.schedule ? scheduleText(element) : paths[0].schedule,
        rpoHours: Math.min(...paths.map((path) => path.rpoHours)),
        retentionDays: Math.max(...paths.map((path) => path.retentionDays)),
        destination: paths.map((path) => path.destination).join("; "),
        restore: paths[0].restore,
        paths,
    };
}

/** Schedule in words, plus the UTC cron actually deployed when the user wrote local time. */
export function scheduleText(element: ElementSpec): string {
    const schedule = element.schedule!;
    if (schedule.timezone === "UTC") return schedule.words;
    const dst = schedule.dstShiftMinutes ? `; ${formatHours(schedule.dstShiftMinutes / 60)} later in local time during DST` : "";
    return `${schedule.words}; deployed as "${schedule.utcCron}" UTC${dst}`;
}
