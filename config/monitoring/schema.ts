/**
 * `qalita-dr:monitoring`: the freshness alerts of every protection path, as users write them — a
 * PrometheusRule for the Prometheus operator, and the grace each criticality adds to a path's
 * longest expected gap before its alert fires. Their resolution: resolve.ts.
 */
import { z } from "zod";
import { GO_DURATION_MAX_HOURS } from "../../contracts/limits";
import { LONGEST_INTERVAL_HOURS } from "../../contracts/schedule";
import { DNS_LABEL } from "../schema-parts";
import { pvcSelectionSchema } from "../snapshots/schema";

/** Criticalities whose paths are monitored: `none` has no backup to watch. */
export const GRACE_CRITICALITIES = ["critical", "moderate", "low"] as const;

/**
 * The longest grace: added to a path's longest gap (at most LONGEST_INTERVAL_HOURS, plus run
 * allowances well under as much again), it becomes an alert's `for:`, a Go duration.
 */
export const MAX_GRACE_HOURS = GO_DURATION_MAX_HOURS - 2 * LONGEST_INTERVAL_HOURS;
const GRACE_UNIT_HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 24 };

const DURATION = /^[1-9][0-9]*(m|h|d)$/;

const duration = z
    .string({ error: 'write a duration in quotes, e.g. "90m", "2h" or "1d"' })
    .regex(DURATION, { error: 'write a whole number of minutes, hours or days, e.g. "90m", "2h" or "1d"' })
    // Only a well-formed duration is measured: the regex's message says what to write otherwise.
    .refine((text) => !DURATION.test(text) || Number(text.slice(0, -1)) * GRACE_UNIT_HOURS[text.slice(-1)] <= MAX_GRACE_HOURS, {
        error: `write at most "${MAX_GRACE_HOURS}h": the grace plus the path's longest gap becomes the alert's for:, a Go duration of at most ${GO_DURATION_MAX_HOURS}h`,
    });

export const monitoringSchema = z.strictObject({
    /** Deploy the freshness alerts (a PrometheusRule; needs the Prometheus operator's CRDs). @default false */
    enabled: z.boolean({ error: "write true or false" }).optional(),
    /** Namespace of the PrometheusRule. @default the QALITA release's namespace */
    namespace: z
        .string({ error: "write a namespace, e.g. monitoring" })
        .regex(DNS_LABEL, { error: "write a namespace: a lowercase DNS label, e.g. monitoring" })
        .optional(),
    /**
     * Labels the Prometheus operator selects rules by (its Prometheus' `ruleSelector`).
     * @default { release: "kube-prometheus-stack" } (kube-prometheus-stack installed as release kube-prometheus-stack)
     */
    ruleLabels: pvcSelectionSchema.shape.matchLabels,
    /** Added to each path's longest expected gap between two successes, per criticality. @default { critical: "1h", moderate: "3h", low: "12h" } */
    grace: z
        .strictObject(
            Object.fromEntries(GRACE_CRITICALITIES.map((criticality) => [criticality, duration.optional()])) as Record<
                (typeof GRACE_CRITICALITIES)[number],
                z.ZodOptional<typeof duration>
            >,
            { error: 'write { critical: "1h", moderate: "3h", low: "12h" } (any of them)' },
        )
        .optional(),
    /** Where docs/monitoring.md is published (your fork's URL of the docs/ folder): alerts link their runbook there. @default "docs/" */
    runbookBaseUrl: z
        .string({ error: "write a URL ending in /" })
        .regex(/^https?:\/\/\S+\/$/, {
            error: 'write the URL of the docs/ folder, ending in /, e.g. "https://git.example.com/ops/qalita-dr/-/blob/main/docs/"',
        })
        .optional(),
    /**
     * Ping URL of a healthchecks.io-style check, the dead-man's switch the copies and the drill
     * ping (`<url>`, `<url>/fail`). A credential: set with `pulumi config set --secret --path`;
     * its form and secrecy are checked by resolve.ts (offline, a secret reads as a placeholder).
     */
    heartbeatUrl: z.string({ error: `write the check's ping URL in quotes, e.g. "https://hc-ping.com/<uuid>", with pulumi config set --secret` }).optional(),
});

export type RawMonitoring = z.infer<typeof monitoringSchema>;
