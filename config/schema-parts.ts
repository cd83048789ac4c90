/**
 * Zod pieces every config area uses, defined once so that a key means the same thing — and its
 * error says the same thing — wherever it appears.
 */
import { z } from "zod";
import { GO_DURATION_MAX_HOURS, MAX_RETENTION_DAYS, S3_MAX_DAYS } from "../contracts/limits";

/** The most days a key takes, and why (the target that takes the value), for its error message. */
export interface DaysLimit {
    readonly max: number;
    readonly why: string;
}

/** Retentions and what they bound (transitions, pruning): each becomes a snapshot expiry too. */
export const RETENTION_LIMIT: DaysLimit = {
    max: MAX_RETENTION_DAYS,
    why: `about ${Math.floor(MAX_RETENTION_DAYS / 365)} years, the longest retention the stack deploys: a retention becomes a SnapshotSchedule's expires, a Go duration of at most ${GO_DURATION_MAX_HOURS}h`,
};

/** Day counts S3 takes as they are (Object Lock): its API's Integer. */
export const S3_DAYS_LIMIT: DaysLimit = { max: S3_MAX_DAYS, why: "S3 takes day counts as 32-bit integers" };

/** A whole number of days from 1 to `limit.max` (by default the longest retention the stack deploys). */
export const days = (example: number, limit: DaysLimit = RETENTION_LIMIT) =>
    z
        .number({ error: `write a whole number of days, e.g. ${example}` })
        .int({ error: `write a whole number of days, at most ${limit.max}` })
        .positive({ error: "write a number of days ≥ 1" })
        .max(limit.max, { error: `write a whole number of days from 1 to ${limit.max} (${limit.why})` });

/** A storage size as Kubernetes writes it (Mi, Gi, Ti). */
export const quantity = (example: string) => z.string().regex(/^[0-9]+(Mi|Gi|Ti)$/, { error: `write a Kubernetes quantity, e.g. "${example}"` });

/** Namespaces and a few other names: a DNS label (RFC 1123), at most 63 characters. */
export const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Names of most Kubernetes objects (Secrets, PVCs, classes…): a DNS subdomain. */
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const objectName = (what: string) =>
    z.string({ error: `write the ${what}'s name` }).regex(DNS_SUBDOMAIN, { error: `write the ${what}'s name: lowercase letters, digits, "-" and "."` });
