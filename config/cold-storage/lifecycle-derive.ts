/**
 * Derives each element's cold-storage lifecycle rule from its DR spec: pure data in the
 * `aws.s3.BucketLifecycleConfiguration` rule shape, so the bucket component passes it straight to
 * the resource and the config layer validates it (validateLifecycle) before anything registers.
 */
import { LifecycleNoncurrentVersionTransition, LifecycleRule, LifecycleTransition, asRecord } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { MIN_STORAGE_DAYS, isStorageClass } from "../../contracts/s3-lifecycle/storage-classes";
import type { ColdLayout } from "../spec";

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
    /** How the element's copy writes its prefix: what its noncurrent versions are. @default "per-backup" */
    readonly layout?: ColdLayout;
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

/**
 * How long a `per-backup` prefix keeps a noncurrent version (docs/decisions/0002-noncurrent-versions.md).
 * There a version becomes noncurrent only when the expiration hides it behind a delete marker —
 * the end of the retention the posture shows — or by accident: an overwrite or a deletion by a
 * person or a leaked credential (the writer may put, never delete). Keeping noncurrent versions as
 * long as the retention kept every expired backup a second retention, billed and hidden (a
 * "kept 1095 d" that was really 2190). 30 days is time to notice an accident — four weekly restore
 * drills, a monthly review — and get the version back; Object Lock, when on, holds every version
 * its own `days` from creation whatever this says.
 */
export const NONCURRENT_PROTECTION_DAYS = 30;

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
        // The bucket is versioned: expiration only adds a delete marker, the data stays until this.
        ...noncurrentActions(spec.layout ?? "per-backup", steps, spec.retentionDays),
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS },
    };
}

/**
 * What happens to a prefix's noncurrent versions. A mirror's are its history — the earlier states
 * of rewritten files, which the retention promises — so they follow the same waterfall for the
 * same days. A per-backup prefix's are expired or damaged backups: kept NONCURRENT_PROTECTION_DAYS,
 * in the class they are in (every step that would not stay its minimum duration is trimmed).
 */
export function noncurrentActions(
    layout: ColdLayout,
    tiering: readonly TierStep[],
    retentionDays: number,
): Pick<LifecycleRule, "noncurrentVersionTransitions" | "noncurrentVersionExpiration"> {
    const days = layout === "mirror" ? retentionDays : NONCURRENT_PROTECTION_DAYS;
    const transitions: LifecycleNoncurrentVersionTransition[] = trimTiering(tiering, days).map((step) => ({
        noncurrentDays: step.afterDays,
        storageClass: step.storageClass,
    }));
    return { noncurrentVersionTransitions: transitions, noncurrentVersionExpiration: { noncurrentDays: days } };
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
    const noncurrent = asRecord(rule.noncurrentVersionExpiration)?.noncurrentDays;
    // In a versioned bucket the expiration only hides a backup: say how long its data stays.
    const after = typeof noncurrent === "number" ? ` (noncurrent versions: ${noncurrent} d more)` : "";
    return `${path}, ${end}${after}`;
}

function whenWords(days: unknown, date: unknown): string {
    if (typeof date === "string") return `on ${date}`;
    return `${typeof days === "number" ? days : 0} d`;
}
