/**
 * One S3 lifecycle rule, as plain data. Mirrors by hand (no `@pulumi/*` import: contracts stay
 * pure) the resolved inputs of `aws.s3.BucketLifecycleConfiguration` and the deprecated
 * `aws.s3.BucketLifecycleConfigurationV2` in @pulumi/aws v7 — `inputs.s3.BucketLifecycleConfiguration
 * Rule` and its nested types — so the policy pack can pass resource inputs straight in and the
 * components can pass derived rules straight out. Field names and optionality match the provider.
 */

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleTransition`. */
export interface LifecycleTransition {
    /** RFC3339 full-date (`2026-08-22`); exclusive with `days`. */
    readonly date?: string;
    /** Days after creation; the provider defaults to 0 when neither days nor date is set. */
    readonly days?: number;
    readonly storageClass: string;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleExpiration`. */
export interface LifecycleExpiration {
    readonly date?: string;
    readonly days?: number;
    readonly expiredObjectDeleteMarker?: boolean;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleFilterTag`. */
export interface LifecycleFilterTag {
    readonly key: string;
    readonly value: string;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleFilterAnd`. */
export interface LifecycleFilterAnd {
    readonly objectSizeGreaterThan?: number;
    readonly objectSizeLessThan?: number;
    readonly prefix?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleFilter`. */
export interface LifecycleFilter {
    readonly and?: LifecycleFilterAnd;
    readonly objectSizeGreaterThan?: number;
    readonly objectSizeLessThan?: number;
    readonly prefix?: string;
    readonly tag?: LifecycleFilterTag;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleNoncurrentVersionTransition`. */
export interface LifecycleNoncurrentVersionTransition {
    readonly newerNoncurrentVersions?: number;
    readonly noncurrentDays: number;
    readonly storageClass: string;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpiration`. */
export interface LifecycleNoncurrentVersionExpiration {
    readonly newerNoncurrentVersions?: number;
    readonly noncurrentDays: number;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload`. */
export interface LifecycleAbortIncompleteMultipartUpload {
    readonly daysAfterInitiation: number;
}

/** Mirrors `inputs.s3.BucketLifecycleConfigurationRule` (same shape as the `…V2Rule`). */
export interface LifecycleRule {
    readonly abortIncompleteMultipartUpload?: LifecycleAbortIncompleteMultipartUpload;
    readonly expiration?: LifecycleExpiration;
    readonly filter?: LifecycleFilter;
    /** At most 255 characters, unique within the bucket's configuration. */
    readonly id: string;
    readonly noncurrentVersionExpiration?: LifecycleNoncurrentVersionExpiration;
    readonly noncurrentVersionTransitions?: readonly LifecycleNoncurrentVersionTransition[];
    /** Deprecated by S3 in favour of `filter.prefix`, still accepted. */
    readonly prefix?: string;
    /** `Enabled` or `Disabled` — S3 is case-sensitive here. */
    readonly status: string;
    readonly transitions?: readonly LifecycleTransition[];
}

/** The resource-level inputs the validator reads besides `rules`. */
export interface LifecycleConfigurationInputs {
    readonly rules?: readonly LifecycleRule[];
    /** `all_storage_classes_128K` (default) or `varies_by_storage_class`. */
    readonly transitionDefaultMinimumObjectSize?: string;
}

/** Where a rule's key-prefix filter sits, for problem keys, and what it is. */
export interface RulePrefix {
    readonly value: string;
    /** Path inside the rule, e.g. `filter.and.prefix`, or `filter` when the rule covers the bucket. */
    readonly path: string;
}

/** The key prefix a rule applies to; `""` (whole bucket) when none is set. */
export function rulePrefix(rule: LifecycleRule): RulePrefix {
    const filter = asRecord(rule.filter);
    const and = asRecord(filter?.and);
    if (typeof and?.prefix === "string") return { value: and.prefix, path: "filter.and.prefix" };
    if (typeof filter?.prefix === "string") return { value: filter.prefix, path: "filter.prefix" };
    if (typeof rule.prefix === "string") return { value: rule.prefix, path: "prefix" };
    return { value: "", path: "filter" };
}

/** Whether the rule only applies to tagged objects (`filter.tag` or `filter.and.tags`). */
export function hasTagFilter(rule: LifecycleRule): boolean {
    const filter = asRecord(rule.filter);
    const tags = asRecord(asRecord(filter?.and)?.tags);
    return asRecord(filter?.tag) !== undefined || (tags !== undefined && Object.keys(tags).length > 0);
}

/** Only an explicit `Disabled` switches a rule off; anything else is treated as live. */
export function isEnabled(rule: LifecycleRule): boolean {
    return rule.status !== "Disabled";
}

/** Narrow untyped policy inputs (preview JSON) without trusting their declared type. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
