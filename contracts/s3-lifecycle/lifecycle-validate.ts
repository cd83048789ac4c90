/**
 * Validates S3 lifecycle rules before anything registers (config layer) and against resource
 * inputs (policy pack, for both `aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration`
 * and `aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2`). Two families:
 *  - what S3 rejects at `pulumi up` time — caught at preview instead, with the fix;
 *  - what S3 accepts but costs money or backups: leaving a class before its minimum storage
 *    duration, Object Lock outliving the expiration, and lifecycle actions over a kopia/restic/
 *    Velero repository (they corrupt it). These are skipped for `Disabled` rules.
 * Never throws, whatever the input: preview JSON can hold anything.
 */
import { LifecycleConfigurationInputs, LifecycleRule, asRecord, hasTagFilter, isEnabled, rulePrefix } from "./lifecycle-rule";
import { FieldName, RULE_FIELD_NAME, readCurrentTimeline, readNoncurrentTimeline } from "./lifecycle-shape";
import { CURRENT_WORDS, NONCURRENT_WORDS, checkTimeline } from "./lifecycle-timeline";
import { S3_MAX_DAYS } from "../limits";
import { Problem, problem } from "../problem";

export type { FieldName } from "./lifecycle-shape";

/** S3 limits on a bucket's lifecycle configuration. */
export const MAX_RULES = 1000;
export const MAX_RULE_ID_LENGTH = 255;

export interface ValidateLifecycleOptions {
    /** Default retention (days) of the bucket's Object Lock configuration, when Object Lock is on. */
    readonly objectLockDays?: number;
    /** Key prefixes where a repository-format tool (kopia, restic, Velero) keeps a repository. */
    readonly repositoryPrefixes?: readonly string[];
    /**
     * How messages name the value to change, for callers whose users write something else than
     * the rule (the stack config). @default the rule's own field (`days`, `noncurrentDays`)
     */
    readonly fieldName?: FieldName;
    /** What to write instead of a lifecycle prefix over a repository. @default "a prefix that excludes it" */
    readonly repositoryFix?: string;
}

/** S3's TransitionDefaultMinimumObjectSize values (the provider passes them through as is). */
export const TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES = ["all_storage_classes_128K", "varies_by_storage_class"] as const;

/** The whole resource's inputs, as the policy pack receives them: `rules` plus the resource-level setting. */
export function validateLifecycleConfiguration(inputs: LifecycleConfigurationInputs, opts: ValidateLifecycleOptions = {}): Problem[] {
    const record = asRecord(inputs) ?? {};
    const minimumSize = record.transitionDefaultMinimumObjectSize;
    const problems = validateLifecycle((record.rules ?? []) as readonly LifecycleRule[], opts);
    if (minimumSize !== undefined && minimumSize !== null && !(TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES as readonly unknown[]).includes(minimumSize)) {
        problems.push(
            problem(
                "transitionDefaultMinimumObjectSize",
                `S3 accepts ${TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES.join(" or ")}; write all_storage_classes_128K (the default: objects under 128 KB never transition)`,
            ),
        );
    }
    return problems;
}

export function validateLifecycle(rules: readonly LifecycleRule[], opts: ValidateLifecycleOptions = {}): Problem[] {
    const problems: Problem[] = [];
    if (!Array.isArray(rules)) return [problem("rules", "S3 needs a list of lifecycle rules; write one")];
    if (rules.length > MAX_RULES) {
        problems.push(
            problem(
                "rules",
                `${rules.length} rules: S3 accepts at most ${MAX_RULES} per bucket; merge rules that share a prefix, remove unused ones, or move data to another bucket`,
            ),
        );
    }
    const firstIndexOfId = new Map<string, number>();
    rules.forEach((raw: unknown, i) => {
        const base = `rules[${i}]`;
        const rule = asRecord(raw);
        if (rule === undefined) {
            problems.push(problem(base, "S3 needs a rule object here; write { id, status, filter, transitions, expiration, … }"));
            return;
        }
        checkIdAndStatus(rule, base, i, firstIndexOfId, problems);
        checkRule(rule as unknown as LifecycleRule, rule, base, opts, problems);
    });
    return problems;
}

function checkIdAndStatus(rule: Record<string, unknown>, base: string, index: number, firstIndexOfId: Map<string, number>, problems: Problem[]): void {
    const id = rule.id;
    if (typeof id === "string") {
        if (id.length > MAX_RULE_ID_LENGTH) {
            problems.push(problem(`${base}.id`, `id is ${id.length} characters; S3 accepts at most ${MAX_RULE_ID_LENGTH} — write a shorter id`));
        }
        const first = firstIndexOfId.get(id);
        if (first !== undefined) {
            problems.push(problem(`${base}.id`, `id "${abbreviate(id)}" is already used by rules[${first}]; S3 needs unique rule ids — write another id`));
        } else {
            firstIndexOfId.set(id, index);
        }
    }
    if (rule.status !== "Enabled" && rule.status !== "Disabled") {
        problems.push(
            problem(`${base}.status`, `status ${JSON.stringify(rule.status) ?? "is missing"}: S3 accepts exactly "Enabled" or "Disabled" — write Enabled`),
        );
    }
}

function checkRule(rule: LifecycleRule, record: Record<string, unknown>, base: string, opts: ValidateLifecycleOptions, problems: Problem[]): void {
    const costly = isEnabled(rule);
    const abort = record.abortIncompleteMultipartUpload;
    const hasAction =
        [record.transitions, record.noncurrentVersionTransitions].some((list) => Array.isArray(list) && list.length > 0) ||
        [record.expiration, record.noncurrentVersionExpiration, abort].some((action) => asRecord(action) !== undefined);
    if (!hasAction) {
        problems.push(problem(base, "this rule has no action; S3 rejects it — add an expiration (e.g. { days: 365 }), transitions, or remove the rule"));
    }
    if (abort !== undefined && abort !== null) {
        const days = asRecord(abort)?.daysAfterInitiation;
        if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > S3_MAX_DAYS) {
            problems.push(
                problem(
                    `${base}.abortIncompleteMultipartUpload.daysAfterInitiation`,
                    `S3 needs a whole number of days from 1 to ${S3_MAX_DAYS} (a 32-bit integer); write daysAfterInitiation: 7, for example`,
                ),
            );
        }
        if (hasTagFilter(rule)) {
            problems.push(
                problem(
                    `${base}.abortIncompleteMultipartUpload`,
                    "S3 rejects abortIncompleteMultipartUpload in a rule filtered by tags (an upload in progress has no tags); move it to a rule filtered by prefix only",
                ),
            );
        }
    }
    const name = opts.fieldName ?? RULE_FIELD_NAME;
    const current = readCurrentTimeline(record, base, name, problems);
    if (current !== undefined) checkTimeline(current, CURRENT_WORDS, costly, problems);
    const noncurrent = readNoncurrentTimeline(record, base, name, problems);
    if (noncurrent !== undefined) checkTimeline(noncurrent, NONCURRENT_WORDS, costly, problems);
    if (costly) {
        checkObjectLock(rule, base, opts.objectLockDays, name, problems);
        checkRepositories(rule, base, opts.repositoryPrefixes ?? [], opts.repositoryFix ?? "a prefix that excludes it", problems);
    }
}

/**
 * Lifecycle cannot delete a locked version: with a default retention longer than the expiration,
 * objects vanish from listings at expiration (delete marker) yet stay billed until the lock ends.
 */
function checkObjectLock(rule: LifecycleRule, base: string, lockDays: number | undefined, name: FieldName, problems: Problem[]): void {
    const days = asRecord(rule.expiration)?.days;
    if (typeof lockDays !== "number" || typeof days !== "number" || lockDays <= days) return;
    const key = `${base}.expiration.days`;
    problems.push(
        problem(
            key,
            `Object Lock keeps every version ${lockDays} days but this rule expires objects at day ${days}: lifecycle cannot delete locked versions, so they stay billed (and hidden behind a delete marker) until day ${lockDays}; write ${name(key, "days")}: ${lockDays} or more, or shorten the Object Lock default retention`,
        ),
    );
}

/**
 * kopia, restic and Velero keep content-addressed pack files that later snapshots still reference:
 * a transition (archived packs can't be read) or an expiration behind the tool's back corrupts
 * the repository. Noncurrent-version and multipart-upload actions never touch live packs.
 */
function checkRepositories(rule: LifecycleRule, base: string, repositories: readonly string[], fix: string, problems: Problem[]): void {
    const expiration = asRecord(rule.expiration);
    const touchesLiveObjects =
        (Array.isArray(rule.transitions) && rule.transitions.length > 0) ||
        (expiration !== undefined && ((expiration.days ?? null) !== null || (expiration.date ?? null) !== null));
    if (!touchesLiveObjects) return;
    const prefix = rulePrefix(rule);
    const covered = repositories.filter((repository) => repository.startsWith(prefix.value) || prefix.value.startsWith(repository));
    if (covered.length === 0) return;
    const scope = prefix.value === "" ? "filter has no prefix: it covers the whole bucket, including" : `prefix "${prefix.value}" overlaps`;
    problems.push(
        problem(
            `${base}.${prefix.path}`,
            `this rule's ${scope} ${covered.length === 1 ? "the repository" : "the repositories"} at ${covered.map((r) => `"${r}"`).join(", ")} (kopia/restic/Velero): a lifecycle transition or expiration there corrupts it; write ${fix} and let the tool's own retention (kopia maintenance, restic forget --prune, Velero TTL) delete old data`,
        ),
    );
}

function abbreviate(id: string): string {
    return id.length > 40 ? `${id.slice(0, 37)}…` : id;
}
