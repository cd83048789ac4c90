/**
 * `qalita-dr:snapshots` (which VolumeSnapshotClass, whether to install snapscheduler, the
 * PostgreSQL data snapshot, which PVCs each schedule selects) and `restore.pvc`: their shape, and
 * their resolution into plain settings. Which chart PVCs exist, and the PVC sets themselves, are
 * contracts (contracts/snapshot-claims.ts, contracts/elements.ts); this file only checks what the
 * user wrote.
 */
import { z } from "zod";
import { days as daysSchema, DNS_SUBDOMAIN, objectName, quantity } from "./schema-parts";
import { CATALOG } from "./catalog";
import { configKey, Problem } from "./problems";
import { describeSchedule, isValidTimeZone } from "./schedule";
import type { ElementSpec, ScheduleSpec } from "./spec";
import { toUtcSchedule } from "./utc-schedule";
import { ElementName, MAX_INTERVAL_HOURS, PVC_SETS, PvcSetName } from "../contracts/elements";
import { maxIntervalHours, parseSchedule } from "../contracts/schedule";
import type { PvcSelection } from "../contracts/snapshot-claims";

/** The class the stack creates when `driver` is set. */
export const SNAPSHOT_CLASS_NAME = "qalita-dr-snapclass";
/** backube/snapscheduler helm/snapscheduler/Chart.yaml `version` (CHANGELOG: 3.5.0, 2025-05-14). */
export const SNAPSCHEDULER_CHART_VERSION = "3.5.0";
/** Upstream's recommended namespace (docs/install.md): one operator serves the whole cluster. */
export const SNAPSCHEDULER_NAMESPACE = "backube-snapscheduler";

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelKey = z.string().refine((key) => { const [prefix, name, extra] = key.includes("/") ? key.split("/") : ["", key]; return extra === undefined && (prefix === "" || DNS_SUBDOMAIN.test(prefix)) && LABEL_NAME.test(name ?? ""); }, { error: 'write a label key, e.g. "app.kubernetes.io/name"' });
const labelValue = z.string().regex(/^$|^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { error: "write a label value: at most 63 letters, digits, '-', '_' or '.'" });
const days = daysSchema(2);

/** Replaces the selector of one PVC set: the chart's labels (matchLabels) or named PVCs the stack labels. */
export const pvcSelectionSchema = z.strictObject({
    matchLabels: z.record(labelKey, labelValue, { error: "write a map of label: value" }).optional(),
    pvcNames: z.array(objectName("PVC"), { error: "write a list of PVC names" }).min(1, { error: "name at least one PVC" }).optional(),
});

export const snapshotsSchema = z.strictObject({
    /** An existing VolumeSnapshotClass; with neither this nor driver, the cluster's default class. */
    className: objectName("VolumeSnapshotClass").optional(),
    /** CSI driver of a class the stack creates (`qalita-dr-snapclass`), e.g. "ebs.csi.aws.com". */
    driver: z.string({ error: 'write the CSI driver name, e.g. "ebs.csi.aws.com"' }).regex(/^[A-Za-z0-9]([-.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/, { error: 'write the CSI driver name, e.g. "ebs.csi.aws.com"' }).optional(),
    /** Retain keeps the storage snapshot when snapscheduler expires its VolumeSnapshot. @default "Retain" */
    deletionPolicy: z.enum(["Retain", "Delete"], { error: "write Retain or Delete" }).optional(),
    /** Driver-specific parameters of the created class. */
    parameters: z.record(z.string(), z.string({ error: "write each parameter as a string" }), { error: "write a map of parameter: value" }).optional(),
    /** Install the snapscheduler operator (only if the cluster does not run it already). @default false */
    installOperator: z.boolean({ error: "write true or false" }).optional(),
    /** snapscheduler chart version. @default "3.5.0" */
    operatorVersion: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { error: 'write a chart version, e.g. "3.5.0"' }).optional(),
    /** Crash-consistent snapshots of the PostgreSQL data PVC, on top of the dumps. */
    postgresqlData: z.strictObject({
        /** @default true when elements.postgresql is enabled */
        enabled: z.boolean({ error: "write true or false" }).optional(),
        /** @default "0 * * * *" (hourly) */
        schedule: z.string({ error: 'write a cron expression in quotes, e.g. "0 * * * *"' }).optional(),
        /** @default "UTC" */
        timezone: z.string({ error: 'write an IANA timezone, e.g. "Europe/Paris"' }).optional(),
        /** @default 2 */
        retentionDays: days.optional(),
    }).optional(),
    /** Selector overrides per PVC set, for releases whose PVCs differ from QALITA 2.11.6's. */
    pvcLabels: z.strictObject(Object.fromEntries(PVC_SETS.map((set) => [set, pvcSelectionSchema.optional()])) as Record<PvcSetName, z.ZodOptional<typeof pvcSelectionSchema>>).optional(),
});

export const ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"] as const;

/** `restore.pvc`: a one-shot restore of a VolumeSnapshot into a new PVC (docs/restore-pvc.md). */
export const pvcRestoreSchema = z.strictObject({
    element: z.enum(PVC_SETS, { error: `write one of ${PVC_SETS.join(", ")}` }),
    /** VolumeSnapshot to restore, in the release's namespace (kubectl get volumesnapshots). */
    snapshot: objectName("VolumeSnapshot"),
    /** @default "<snapshotted PVC>-restored" */
    pvcName: objectName("PVC").optional(),
    /** Must be a class of the CSI driver that took the snapshot. @default the cluster's default */
    storageClass: objectName("StorageClass").optional(),
    /** @default ["ReadWriteOnce"] (every QALITA PVC is) */
    accessModes: z.array(z.enum(ACCESS_MODES, { error: `write ${ACCESS_MODES.join(", ")}` })).min(1).optional(),
    /** Only when the snapshot reports no restoreSize, or to grow the volume. */
    size: quantity("20Gi").optional(),
});

export type RawSnapshots = z.infer<typeof snapshotsSchema>;
export type RawPvcRestore = z.infer<typeof pvcRestoreSchema>;

export interface SnapshotsSpec {
    /** The class every schedule names; undefined: the cluster's default VolumeSnapshotClass. */
    readonly className?: string;
    /** Present when the stack creates the class. */
    readonly createdClass?: { readonly name: string; readonly driver: string; readonly deletionPolicy: "Retain" | "Delete"; readonly parameters: Readonly<Record<string, string>> };
    readonly operator?: { readonly chartVersion: string; readonly namespace: string };
    readonly postgresqlData: { readonly enabled: boolean; readonly schedule?: ScheduleSpec; readonly retentionDays: number };
    readonly selections: Readonly<Partial<Record<PvcSetName, PvcSelection>>>;
}

export interface PvcRestoreSpec {
    readonly pvcSet: PvcSetName;
    readonly snapshot: string;
    readonly pvcName?: string;
    readonly storageClass?: string;
    readonly accessModes: readonly (typeof ACCESS_MODES)[number][];
    readonly size?: string;
}

const key = (...path: string[]) => configKey(["snapshots", ...path]);

export function resolveSnapshots(raw: RawSnapshots | undefined, inputs: { readonly elements: Readonly<Record<ElementName, ElementSpec>> }): { spec: SnapshotsSpec; problems: Problem[] } {
    const config = raw ?? {};
    const problems: Problem[] = [];
    if (config.className && config.driver) {
        problems.push({ key: key("driver"), message: `className "${config.className}" names an existing VolumeSnapshotClass and driver makes the stack create "${SNAPSHOT_CLASS_NAME}": keep one of them (neither: the cluster's default class)` });
    }
    for (const field of ["deletionPolicy", "parameters"] as const) {
        if (config[field] !== undefined && !config.driver) problems.push({ key: key(field), message: `${field} only applies to the class the stack creates: set driver too, or remove ${field} (an existing class keeps its own)` });
    }
    if (config.operatorVersion && !config.installOperator) problems.push({ key: key("operatorVersion"), message: "operatorVersion only applies with installOperator: true; remove it, or set installOperator: true" });
    for (const [set, selection] of Object.entries(config.pvcLabels ?? {})) {
        if (!selection || (selection.matchLabels === undefined) !== (selection.pvcNames === undefined)) continue;
        problems.push({ key: key("pvcLabels", set), message: "write either matchLabels (the PVCs' own labels) or pvcNames (PVCs the stack labels), not both or neither" });
    }
    const data = config.postgresqlData ?? {};
    const schedule = dataSchedule(data.schedule ?? "0 * * * *", data.timezone ?? "UTC", problems);
    const retentionDays = data.retentionDays ?? 2;
    if (schedule && retentionDays * 24 < 2 * schedule.intervalHours) {
        problems.push({ key: key("postgresqlData", "retentionDays"), message: `${retentionDays} days keeps fewer than 2 snapshots (longest gap ${schedule.intervalHours} h): write retentionDays: ${Math.ceil((2 * schedule.intervalHours) / 24)} or more` });
    }
    const spec: SnapshotsSpec = {
        className: config.driver ? SNAPSHOT_CLASS_NAME : config.className,
        createdClass: config.driver ? { name: SNAPSHOT_CLASS_NAME, driver: config.driver, deletionPolicy: config.deletionPolicy ?? "Retain", parameters: config.parameters ?? {} } : undefined,
        operator: config.installOperator ? { chartVersion: config.operatorVersion ?? SNAPSCHEDULER_CHART_VERSION, namespace: SNAPSCHEDULER_NAMESPACE } : undefined,
        postgresqlData: { enabled: data.enabled ?? inputs.elements.postgresql.enabled, schedule, retentionDays },
        selections: config.pvcLabels ?? {},
    };
    return { spec, problems };
}

/** Like an element's schedule, bounded by PostgreSQL's criticality (at most 24 h between snapshots). */
function dataSchedule(expression: string, timezone: string, problems: Problem[]): ScheduleSpec | undefined {
    if (!isValidTimeZone(timezone)) {
        problems.push({ key: key("postgresqlData", "timezone"), message: `"${timezone}" is not an IANA timezone; write e.g. "Europe/Paris" or "UTC"` });
        return undefined;
    }
    const parsed = parseSchedule(expression);
    const utc = parsed.ok ? toUtcSchedule(parsed.cron, timezone) : parsed;
    if (!parsed.ok || !utc.ok) {
        problems.push({ key: key("postgresqlData", "schedule"), message: utc.ok ? "" : utc.message });
        return undefined;
    }
    const intervalHours = maxIntervalHours(parsed.cron);
    const limit = MAX_INTERVAL_HOURS[CATALOG.postgresql.criticality]!;
    if (intervalHours > limit) {
        problems.push({ key: key("postgresqlData", "schedule"), message: `"${expression}" leaves up to ${intervalHours} h between snapshots of PostgreSQL's data, which is critical: at most ${limit} h; write e.g. "0 * * * *" (hourly), or enabled: false` });
    }
    return { cron: parsed.cron, timezone, utcCron: utc.cron, dstShiftMinutes: utc.dstShiftMinutes, words: describeSchedule(parsed.cron, timezone), intervalHours };
}

export function resolvePvcRestore(raw: RawPvcRestore | undefined): PvcRestoreSpec | undefined {
    if (!raw) return undefined;
    return { pvcSet: raw.element, snapshot: raw.snapshot, pvcName: raw.pvcName, storageClass: raw.storageClass, accessModes: raw.accessModes ?? ["ReadWriteOnce"], size: raw.size };
}
