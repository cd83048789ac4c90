/**
 * The shape of the stack config as users write it (`Pulumi.<stack>.yaml`, keys under
 * `qalita-dr:`): the top-level keys, and each area's schema (config/<area>/schema.ts). Only shape
 * is checked here; meaning (cron, intervals, retention) is each area's resolver's. Every object is
 * strict: an unknown key is a typo until proven otherwise.
 */
import { z } from "zod";
import { agentsSchema, AGENTS_CRYPT_SECRETS, WORKER_TOKEN_SECRET } from "./agents/schema";
import { coldStorageSchema } from "./cold-storage/schema";
import { drillsSchema } from "./drills/schema";
import { elementsSchema } from "./elements/schema";
import { monitoringSchema } from "./monitoring/schema";
import { restoreSchema } from "./restore/schema";
import { snapshotsSchema } from "./snapshots/schema";
import { PINNED_SECRETS } from "./spec";

const secretValue = z.string({ error: "set it with pulumi config set --secret --path" }).min(1);

const name = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "write a lowercase DNS label, e.g. qalita" })
    .max(63);

/**
 * `secrets.*` (pulumi config set --secret --path secrets.<key>): the pinned release secrets an
 * installed release adopts, the worker's API token (or name an existing Secret in
 * agents.tokenSecret), and an existing rclone crypt key for the agents' copies (both or neither).
 * Their values never reach the DrSpec: config/from-pulumi.ts reads them as Pulumi secrets.
 */
export const secretsSchema = z.strictObject(
    Object.fromEntries([...PINNED_SECRETS, WORKER_TOKEN_SECRET, ...AGENTS_CRYPT_SECRETS].map((key) => [key, secretValue.optional()])) as Record<
        (typeof PINNED_SECRETS)[number] | typeof WORKER_TOKEN_SECRET | (typeof AGENTS_CRYPT_SECRETS)[number],
        z.ZodOptional<typeof secretValue>
    >,
);

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
    /** The cold-storage bucket, its hardening options and cost inputs (see cold-storage/schema.ts). */
    coldStorage: coldStorageSchema.optional(),
    /** Values for the QALITA release, merged under the ones the stack owns (see release-values.ts). */
    releaseValues: z.record(z.string(), z.unknown(), { error: "write an object of helm values, e.g. { worker: { enabled: true } }" }).optional(),
    /**
     * Sensitive values of your own for the QALITA release (license, S3 keys…), set with
     * `pulumi config set --secret --path 'secretReleaseValues.<path>'`: they reach helm in the secret
     * values file, never in the readable `values` (npm run adopt-values splits an installed release's).
     */
    secretReleaseValues: z
        .record(z.string(), z.unknown(), { error: "write an object of helm values, set with pulumi config set --secret --path 'secretReleaseValues.<path>'" })
        .optional(),
    /** Adopt an installed release's secrets, the worker's token, the agents' crypt key (see secretsSchema). */
    secrets: secretsSchema.optional(),
    /** Workers: authentication and backup settings (see agents/schema.ts). */
    agents: agentsSchema.optional(),
    /** One-shot restores: set, run `pulumi up`, follow the runbook (docs/restore.md), then unset (see restore/schema.ts). */
    restore: restoreSchema.optional(),
    /** VolumeSnapshot class, operator and schedules (see snapshots/schema.ts). */
    snapshots: snapshotsSchema.optional(),
    /** Each element's backup settings (see elements/schema.ts). */
    elements: elementsSchema.optional(),
    /** Freshness alerts of every protection path (see monitoring/schema.ts, docs/monitoring.md). */
    monitoring: monitoringSchema.optional(),
    /** Scheduled restore drills and where they push metrics (see drills/schema.ts, docs/drills.md). */
    drills: drillsSchema.optional(),
});
