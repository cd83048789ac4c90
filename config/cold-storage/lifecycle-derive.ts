/**
 * Derives each element's cold-storage lifecycle rule from its DR spec: pure data in the
 * `aws.s3.BucketLifecycleConfiguration` rule shape, so the bucket component passes it straight to
 * the resource and the config layer validates it (validateLifecycle) before anything registers.
 */
import { LifecycleRule, LifecycleTransition, asRecord } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { MIN_STORAGE_DAYS, isStorageClass } from "../../contracts/s3-lifecycle/storage-classes";

export type ColdStorageCriticality = "critical" | "moderate" | "low";

/** One tiering step as the stack config writes it. */
export interface TierStep {
    readonly storageClass: string;
    readonly afterDays: number;
}

export interface ElementColdStorage {
    readonly element: string;
    /** Key prefix the element's offsite copies are written under, e.g. `postgresql/`. */
    readonly prefix: string;
    readonly criticality: ColdStorageCriticality;
    /** Days a backup is kept; also the expiration. */
    readonly retentionDays: number;
    /** Overrides the criticality's default waterfall. */
    readonly tiering?: readonly TierStep[];
}

/**
 * Default waterfalls. Every step stays at least its class's minimum duration before the next.
 *  - critical: a recent dump must restore in milliseconds, so the first 180 days stay in classes
 *    read directly (IA, then Glacier IR); only then Deep Archive (12–48 h).
 *  - moderate: after 90 days a restore may wait hours (Glacier Flexible: 3–5 h standard).
 *  - low: anything older than 90 days goes to the cheapest class.
 */
export const DEFAULT_TIERING: Readonly<Record<ColdStorageCriticality, readonly TierStep[]>> = {
    critical: [
        { storageClass: "STANDARD_IA", afterDays: 30 },
        { storageClass: "GLACIER_IR", afterDays: 90 },
        { storageClass: "DEEP_ARCHIVE", afterDays: 180 },
    ],
    moderate: [
        { storageClass: "STANDARD_IA", afterDays: 30 },
        { storageClass: "GLACIER", afterDays: 90 },
        { storageClass: "DEEP_ARCHIVE", afterDays: 180 },
    ],
    low: [
        { storageClass: "STANDARD_IA", afterDays: 30 },
        { storageClass: "DEEP_ARCHIVE", afterDays: 90 },
    ],
};

/** Parts of an upload that never completed are billed until aborted; a week covers any retry. */
export const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

export function lifecycleRuleId(element: string): string {
    return `qalita-dr-${element}`;
}

/**
 * Drops the coldest steps that would not stay their minimum duration before the expiration
 * (deleting earlier is billed anyway, and a step at or after the expiration is rejected by S3).
 * Earlier steps only get longer stays, so the ones kept stay valid.
 */
export function trimTiering(tiering: readonly TierStep[], retentionDays: number): TierStep[] {
    const steps = [...tiering].sort((a, b) => a.afterDays - b.afterDays);
    while (steps.length > 0) {
        const last = steps[steps.length - 1];
        const minimum = isStorageClass(last.storageClass) ? MIN_STORAGE_DAYS[last.storageClass] : 0;
        if (retentionDays - last.afterDays >= Math.max(1, minimum)) break;
        steps.pop();
    }
    return steps;
}

export function deriveLifecycleRule(spec: ElementColdStorage): LifecycleRule {
    if (!Number.isInteger(spec.retentionDays) || spec.retentionDays < 1) {
        throw new RangeError(`retentionDays for ${spec.element} must be a whole number ≥ 1, got ${spec.retentionDays}`);
    }
    const steps = trimTiering(spec.tiering ?? DEFAULT_TIERING[spec.criticality], spec.retentionDays);
    return {
        id: lifecycleRuleId(spec.element),
        status: "Enabled",
        filter: { prefix: spec.prefix },
        transitions: steps.map((step) => ({ days: step.afterDays, storageClass: step.storageClass })),
        expiration: { days: spec.retentionDays },
        // The bucket is versioned: expiration only adds a delete marker. Noncurrent versions (expired
        // or overwritten backups) follow the same waterfall and are freed after the same retention,
        // so a deleted backup stays recoverable that long and versioning never keeps data forever.
        noncurrentVersionTransitions: steps.map((step) => ({ noncurrentDays: step.afterDays, storageClass: step.storageClass })),
        noncurrentVersionExpiration: { noncurrentDays: spec.retentionDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS },
    };
}

/** "STANDARD → STANDARD_IA 30 d → GLACIER_IR 90 d → DEEP_ARCHIVE 180 d, expire 365 d", for tables. */
export function describeTiering(rule: LifecycleRule): string {
    const transitions = (Array.isArray(rule.transitions) ? rule.transitions : [])
        .filter((t): t is LifecycleTransition => asRecord(t) !== undefined)
        .map((t) => ({
            storageClass: String(t.storageClass),
            when: whenWords(t.days, t.date),
            order: t.days ?? (t.date ? Date.parse(t.date) / 86_400_000 : 0),
        }))
        .sort((a, b) => a.order - b.order);
    const path = ["STANDARD", ...transitions.map((t) => `${t.storageClass} ${t.when}`)].join(" → ");
    const expiration = asRecord(rule.expiration);
    const end =
        expiration && (expiration.days !== undefined || expiration.date !== undefined)
            ? `expire ${whenWords(expiration.days, expiration.date)}`
            : "never expires";
    return `${path}, ${end}`;
}

function whenWords(days: unknown, date: unknown): string {
    if (typeof date === "string") return `on ${date}`;
    return `${typeof days === "number" ? days : 0} d`;
}
