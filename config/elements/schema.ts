/**
 * `qalita-dr:elements`: the shape of each element's settings as users write them. Only shape is
 * checked here; meaning (cron, intervals, retention, tiering) is resolve.ts's. Every object is
 * strict: an unknown key is a typo until proven otherwise.
 */
import { z } from "zod";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { TRANSITION_CLASSES } from "../../contracts/s3-lifecycle/storage-classes";
import { days as daysSchema, quantity } from "../schema-parts";
import { pitrSchema } from "./pitr-schema";

const days = daysSchema(30);

export const tierStepSchema = z.strictObject({
    storageClass: z.enum(TRANSITION_CLASSES, { error: `write one of ${TRANSITION_CLASSES.join(", ")}` }),
    afterDays: days,
});

export const elementSchema = z.strictObject({
    /** Whether the stack backs this element up. */
    enabled: z.boolean({ error: "write true or false" }).optional(),
    /** Kubernetes cron (5 fields) or @daily-style nickname. */
    schedule: z.string({ error: 'write a cron expression in quotes, e.g. "0 2 * * *"' }).optional(),
    /** IANA timezone the schedule is written in. @default "UTC" */
    timezone: z.string({ error: 'write an IANA timezone, e.g. "Europe/Paris"' }).optional(),
    /** Days backups are kept (locally pruned and expired in cold storage). */
    retentionDays: days.optional(),
    /** Cold-storage transitions, oldest class last. */
    tiering: z.array(tierStepSchema, { error: "write a list of { storageClass, afterDays }" }).optional(),
    /** Accept a schedule looser than the criticality allows, or a disabled critical element. */
    acceptRisk: z.boolean({ error: "write true or false" }).optional(),
    /** Why the risk is accepted; required with acceptRisk. */
    riskReason: z.string({ error: "write a sentence saying why" }).optional(),
});

/** How the dump CronJob keeps dumps on its PVC (the offsite copy keeps them for retentionDays). */
export const dumpSchema = z.strictObject({
    /** Dumps older than this are pruned from the dump PVC. @default 7 */
    keepDays: days.optional(),
    /** The newest N complete dumps are kept whatever their age; at least 2. @default 3 */
    keepMin: z
        .number({ error: "write a whole number ≥ 2" })
        .int()
        .min(2, { error: "keep at least 2 dumps: a failing run must never leave only one" })
        .optional(),
    /** Parallel pg_dump jobs. @default 2 */
    jobs: z.number({ error: "write a whole number of jobs" }).int().min(1).max(16).optional(),
    /** Size of the dump PVC. @default "8Gi" */
    storageSize: quantity("8Gi").optional(),
    /** StorageClass of the dump PVC; unset uses the cluster default. */
    storageClass: z.string().optional(),
    /** Longest a dump plus its upload take; the RPO shown counts it. @default 60 */
    expectedRunMinutes: z
        .number({ error: "write a whole number of minutes, e.g. 90" })
        .int()
        .min(1)
        .max(24 * 60, { error: "a dump that runs over a day overlaps the next one: dump less often, or give it more jobs" })
        .optional(),
});

export const postgresqlSchema = elementSchema.extend({ dump: dumpSchema.optional(), pitr: pitrSchema.optional() });

export const elementsSchema = z.strictObject({
    ...(Object.fromEntries(ELEMENTS.map((element) => [element, elementSchema.optional()])) as Record<ElementName, z.ZodOptional<typeof elementSchema>>),
    postgresql: postgresqlSchema.optional(),
});

export type RawElement = z.infer<typeof elementSchema>;
