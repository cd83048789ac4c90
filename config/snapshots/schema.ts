/**
 * `qalita-dr:snapshots`: which VolumeSnapshotClass, whether to install snapscheduler, the
 * PostgreSQL data snapshot, which PVCs each schedule selects — their shape as users write them.
 * Which chart PVCs exist, and the PVC sets themselves, are contracts (contracts/snapshot-claims.ts,
 * contracts/elements.ts); their resolution: resolve.ts.
 */
import { z } from "zod";
import { PVC_SETS, PvcSetName } from "../../contracts/elements";
import { days as daysSchema, DNS_SUBDOMAIN, objectName } from "../schema-parts";

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelKey = z.string().refine(
    (key) => {
        const [prefix, name, extra] = key.includes("/") ? key.split("/") : ["", key];
        return extra === undefined && (prefix === "" || DNS_SUBDOMAIN.test(prefix)) && LABEL_NAME.test(name ?? "");
    },
    { error: 'write a label key, e.g. "app.kubernetes.io/name"' },
);
const labelValue = z
    .string()
    .regex(/^$|^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { error: "write a label value: at most 63 letters, digits, '-', '_' or '.'" });
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
    driver: z
        .string({ error: 'write the CSI driver name, e.g. "ebs.csi.aws.com"' })
        .regex(/^[A-Za-z0-9]([-.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/, { error: 'write the CSI driver name, e.g. "ebs.csi.aws.com"' })
        .optional(),
    /** Retain keeps the storage snapshot when snapscheduler expires its VolumeSnapshot. @default "Retain" */
    deletionPolicy: z.enum(["Retain", "Delete"], { error: "write Retain or Delete" }).optional(),
    /** Driver-specific parameters of the created class. */
    parameters: z.record(z.string(), z.string({ error: "write each parameter as a string" }), { error: "write a map of parameter: value" }).optional(),
    /** Install the snapscheduler operator (only if the cluster does not run it already). @default false */
    installOperator: z.boolean({ error: "write true or false" }).optional(),
    /** snapscheduler chart version. @default "3.5.0" (SNAPSCHEDULER_CHART_VERSION) */
    operatorVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { error: 'write a chart version, e.g. "3.5.0"' })
        .optional(),
    /** Crash-consistent snapshots of the PostgreSQL data PVC, on top of the dumps. */
    postgresqlData: z
        .strictObject({
            /** @default true when elements.postgresql is enabled */
            enabled: z.boolean({ error: "write true or false" }).optional(),
            /** @default "0 * * * *" (hourly) */
            schedule: z.string({ error: 'write a cron expression in quotes, e.g. "0 * * * *"' }).optional(),
            /** @default "UTC" */
            timezone: z.string({ error: 'write an IANA timezone, e.g. "Europe/Paris"' }).optional(),
            /** @default 2 */
            retentionDays: days.optional(),
        })
        .optional(),
    /** Selector overrides per PVC set, for releases whose PVCs differ from QALITA 2.11.6's. */
    pvcLabels: z
        .strictObject(
            Object.fromEntries(PVC_SETS.map((set) => [set, pvcSelectionSchema.optional()])) as Record<PvcSetName, z.ZodOptional<typeof pvcSelectionSchema>>,
        )
        .optional(),
});

export type RawSnapshots = z.infer<typeof snapshotsSchema>;
