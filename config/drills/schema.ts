/**
 * `qalita-dr:drills`: scheduled restore drills as users write them — which element, when, from
 * where — and where the drills push their metrics. Their resolution: resolve.ts.
 */
import { z } from "zod";
import { quantity } from "../schema-parts";

/** `drills.postgresql`: the newest dump restored weekly into a throwaway server (docs/drills.md). */
export const postgresqlDrillSchema = z.strictObject({
    /** @default true when cold storage holds PostgreSQL's dumps */
    enabled: z.boolean({ error: "write true or false" }).optional(),
    /** @default "0 5 * * 6" (Saturday 05:00, after the night's dump is offsite) */
    schedule: z.string({ error: 'write a cron expression in quotes, e.g. "0 5 * * 6"' }).optional(),
    /** @default "UTC" */
    timezone: z.string({ error: 'write an IANA timezone, e.g. "Europe/Paris"' }).optional(),
    /** Where the drill takes the dump: the path a disaster leaves. @default "cold" */
    source: z.enum(["cold", "pvc"], { error: "write cold (the cold-storage bucket) or pvc (the dump PVC)" }).optional(),
    /** Size limit of each scratch volume: the fetched dump, the throwaway server's data. @default "20Gi" */
    scratchSize: quantity("20Gi").optional(),
});

export const drillsSchema = z.strictObject({
    /**
     * In-cluster URL of a Prometheus Pushgateway the drills push their metrics to. Plain http: the
     * drill pushes with bash alone, the release's image has no HTTP client.
     */
    pushgatewayUrl: z
        .string()
        .regex(/^http:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~\/-]*)?$/, {
            error: 'write the Pushgateway\'s http:// URL, e.g. "http://prometheus-pushgateway.monitoring:9091" (no https: the drill pushes with bash alone)',
        })
        .optional(),
    postgresql: postgresqlDrillSchema.optional(),
});

export type RawDrills = z.infer<typeof drillsSchema>;
