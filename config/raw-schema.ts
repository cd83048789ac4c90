/**
 * The shape of the stack config as users write it (`Pulumi.<stack>.yaml`, keys under
 * `qalita-dr:`). Only shape is checked here; meaning (cron, intervals, retention) is checked in
 * `element.ts`. Every object is strict: an unknown key is a typo until proven otherwise.
 */
import { z } from "zod";
import { days as daysSchema, quantity } from "./schema-parts";
import { ELEMENTS } from "../contracts/elements";
import { TRANSITION_CLASSES } from "../contracts/s3-lifecycle/storage-classes";
import { agentsRestoreSchema, agentsSchema } from "./agents-config";
import { coldStorageSchema } from "./cold-storage-config";
import { pvcRestoreSchema, snapshotsSchema } from "./snapshots-config";

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
    keepMin: z.number({ error: "write a whole number ≥ 2" }).int().min(2, { error: "keep at least 2 dumps: a failing run must never leave only one" }).optional(),
    /** Parallel pg_dump jobs. @default 2 */
    jobs: z.number({ error: "write a whole number of jobs" }).int().min(1).max(16).optional(),
    /** Size of the dump PVC. @default "8Gi" */
    storageSize: quantity("8Gi").optional(),
    /** StorageClass of the dump PVC; unset uses the cluster default. */
    storageClass: z.string().optional(),
    /** Longest a dump plus its upload take; the RPO shown counts it. @default 60 */
    expectedRunMinutes: z.number({ error: "write a whole number of minutes, e.g. 90" }).int().min(1).max(24 * 60, { error: "a dump that runs over a day overlaps the next one: dump less often, or give it more jobs" }).optional(),
});

export const postgresqlSchema = elementSchema.extend({ dump: dumpSchema.optional() });

const secretValue = z.string({ error: "set it with pulumi config set --secret --path" }).min(1);

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "write a lowercase DNS label, e.g. qalita" }).max(63);

export const rawConfigSchema = z.strictObject({
    /** Namespace of the QALITA release. @default "qalita" */
    namespace: name.optional(),
    /** Helm release name of QALITA. @default "qalita" */
    release: name.optional(),
    /** QALITA chart version the object names were checked against. @default "2.11.6" */
    chartVersion: z.union([z.string(), z.number()]).transform(String).optional(),
    /** Whether this stack owns the QALITA helm release (false: values overlay only). @default true */
    manageRelease: z.boolean({ error: "write true or false" }).optional(),
    /**
     * QALITA is already installed (helm): its values and secrets are adopted, never regenerated
     * (docs/adopt.md). @default false
     */
    adopt: z.boolean({ error: "write true (QALITA is already installed with helm) or false" }).optional(),
    /** The cold-storage bucket, its hardening options and cost inputs (see cold-storage-config.ts). */
    coldStorage: coldStorageSchema.optional(),
    /** Values for the QALITA release, merged under the ones the stack owns (see release-values.ts). */
    releaseValues: z.record(z.string(), z.unknown(), { error: "write an object of helm values, e.g. { worker: { enabled: true } }" }).optional(),
    /**
     * Sensitive values of your own for the QALITA release (license, S3 keys…), set with
     * `pulumi config set --secret --path 'secretReleaseValues.<path>'`: they reach helm in the secret
     * values file, never in the readable `values` (npm run adopt-values splits an installed release's).
     */
    secretReleaseValues: z.record(z.string(), z.unknown(), { error: "write an object of helm values, set with pulumi config set --secret --path 'secretReleaseValues.<path>'" }).optional(),
    /** Adopt an installed release's secrets (pulumi config set --secret --path secrets.<key>). */
    secrets: z.strictObject({
        backendSecretKey: secretValue.optional(),
        adminPassword: secretValue.optional(),
        postgresPassword: secretValue.optional(),
        postgresUserPassword: secretValue.optional(),
        /** The worker's QALITA API token (or name an existing Secret in agents.tokenSecret). */
        workerToken: secretValue.optional(),
        /** Adopt an existing rclone crypt key for the agents' encrypted copies (both or neither). */
        agentsCryptPassword: secretValue.optional(),
        agentsCryptSalt: secretValue.optional(),
    }).optional(),
    /** Workers: authentication and backup settings (see agents-config.ts). */
    agents: agentsSchema.optional(),
    /** One-shot restores: set, run `pulumi up`, follow the runbook (docs/restore.md), then unset. */
    restore: z.strictObject({
        postgresql: z.strictObject({
            /** Dump id (e.g. 20261124T020000Z) or "latest". */
            from: z.string().regex(/^(latest|[0-9]{8}T[0-9]{6}Z)$/, { error: 'write a dump id like "20261124T020000Z" or "latest"' }),
            /** Where the dump is read from. */
            source: z.enum(["pvc", "cold"], { error: "write pvc (the dump PVC) or cold (the cold-storage bucket)" }),
            /** Parallel pg_restore jobs. @default 2 */
            jobs: z.number().int().min(1).max(16).optional(),
            /** Drop databases of the dump that already hold tables. @default false */
            replace: z.boolean().optional(),
            /** Scratch space for a dump fetched from cold storage. @default "20Gi" */
            scratchSize: quantity("20Gi").optional(),
        }).optional(),
        /** A PVC created from a VolumeSnapshot (docs/restore-pvc.md). */
        pvc: pvcRestoreSchema.optional(),
        /** The workers' ~/.qalita from the encrypted offsite copy (docs/restore-agents.md). */
        agents: agentsRestoreSchema.optional(),
    }).optional(),
    /** VolumeSnapshot class, operator and schedules (see snapshots-config.ts). */
    snapshots: snapshotsSchema.optional(),
    elements: z.strictObject({
        ...(Object.fromEntries(ELEMENTS.map((element) => [element, elementSchema.optional()])) as Record<(typeof ELEMENTS)[number], z.ZodOptional<typeof elementSchema>>),
        postgresql: postgresqlSchema.optional(),
    }).optional(),
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type RawElement = z.infer<typeof elementSchema>;
export type TierStep = z.infer<typeof tierStepSchema>;
export type RawDump = z.infer<typeof dumpSchema>;
