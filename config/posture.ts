/**
 * The DR posture: one row per element, what protects it and how well. Exported as the stack
 * output `drPosture` (a contract other tools read) and printed by `npm run plan`.
 */
import { ELEMENTS, ElementName } from "./catalog";
import { formatHours } from "./element";
import { DrSpec, ElementSpec } from "./spec";

export interface PostureRow {
    readonly element: ElementName;
    readonly criticality: string;
    readonly mechanisms: string[];
    readonly schedule: string;
    /** Worst-case data loss in hours; null when nothing backs the element up. */
    readonly rpoHours: number | null;
    readonly retentionDays: number | null;
    readonly destination: string;
    readonly restore: string;
    /** The accepted risk's reason, when the config accepts one. */
    readonly acceptedRisk?: string;
}

export function buildPosture(spec: DrSpec): PostureRow[] {
    return ELEMENTS.map((element) => row(spec, spec.elements[element]));
}

/** `s3://bucket/postgresql/ (STANDARD → … , expire 365 d)`: where offsite copies go and age. */
export function coldDestination(spec: DrSpec, element: ElementName): string {
    const cold = spec.coldStorage.elements.find((entry) => entry.element === element);
    return `s3://${spec.coldStorage.bucketName}/${element}/${cold ? ` (${cold.tieringWords})` : ""}`;
}

function row(spec: DrSpec, element: ElementSpec): PostureRow {
    const base = { element: element.element, criticality: element.criticality, ...(element.acceptedRisk ? { acceptedRisk: element.acceptedRisk } : {}) };
    if (!element.enabled || !element.schedule) {
        const none = element.criticality === "none";
        return { ...base, mechanisms: [], schedule: none ? "not needed" : "off", rpoHours: null, retentionDays: null, destination: none ? element.state : "none", restore: none ? "redeploy the chart" : "none" };
    }
    const common = { schedule: scheduleText(element), rpoHours: element.schedule.intervalHours, retentionDays: element.retentionDays ?? null };
    if (element.element === "postgresql") {
        return {
            ...base, ...common, mechanisms: ["pg-dump", "offsite-copy"],
            destination: `PVC ${spec.release}-postgresql-pgdumpall (${spec.postgresqlDump.keepDays} d), then ${coldDestination(spec, "postgresql")}`,
            restore: "config restore.postgresql {from, source: pvc|cold} → restore Job (docs/restore.md)",
        };
    }
    return {
        ...base, ...common, mechanisms: ["volume-snapshot"],
        destination: `VolumeSnapshot (${spec.snapshots.className ? `class ${spec.snapshots.className}` : "default class"})`,
        restore: "new PVC from the VolumeSnapshot (dataSource), swap it in",
    };
}

/** Schedule in words, plus the UTC cron actually deployed when the user wrote local time. */
function scheduleText(element: ElementSpec): string {
    const schedule = element.schedule!;
    if (schedule.timezone === "UTC") return schedule.words;
    const dst = schedule.dstShiftMinutes ? `; ${formatHours(schedule.dstShiftMinutes / 60)} later in local time during DST` : "";
    return `${schedule.words}; deployed as "${schedule.utcCron}" UTC${dst}`;
}
