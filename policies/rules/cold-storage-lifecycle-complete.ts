/**
 * cold-storage-lifecycle-complete — every bucket that receives backups has a lifecycle
 * configuration, and under each prefix it receives backups at, an enabled rule expires current
 * versions (`expiration` days or date) and one expires noncurrent versions
 * (`noncurrentVersionExpiration`): without them backups are kept forever — the retention shown is
 * false and the bill grows — and in a versioned bucket an expiration alone frees nothing.
 * Whether the rules are ones S3 accepts is cold-storage-lifecycle-valid's.
 *
 * Which buckets receive backups, and under which prefixes:
 *  - the backup writer's policies (policies/lib/backup-writer.ts): every bucket and key prefix an
 *    `Allow` of s3:PutObject names (`arn:aws:s3:::<bucket>/<prefix>*`; a wildcard bucket name
 *    matches the stack's buckets, a key of `*` is the whole bucket);
 *  - the `qalita-dr/backup-prefixes` tag (contracts/cold-storage.ts), which the ColdStorage
 *    component sets on its bucket and on the replica that receives the same objects.
 * A rule covers a prefix when it is enabled, filtered by a prefix the backup prefix starts with
 * (none: the whole bucket), by no tag and no object size. A lifecycle whose rules are unknown at
 * preview is not judged (policies/lib/plan-values.ts).
 */
import { BACKUP_PREFIXES_TAG, elementPrefix } from "../../contracts/cold-storage";
import { ELEMENTS } from "../../contracts/elements";
import { PlanResource } from "../../contracts/preview";
import { LifecycleRule, asRecord, hasTagFilter, isEnabled, rulePrefix } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { backupWriters } from "../lib/backup-writer";
import { actionsOverlap, readPolicyDocument } from "../lib/iam-statements";
import { UNKNOWN, UNKNOWN_LEAF, known, urnName, valuesAt } from "../lib/plan-values";
import { Finding, RuleDefinition } from "../lib/resources";
import { LinkedBucket, bucketName, linkBuckets } from "../lib/s3-buckets";

/** `arn:<partition>:s3:::<bucket>/<key>` */
const OBJECT_ARN = /^arn:[a-z-]+:s3:::([^/]+)\/(.*)$/;

export const coldStorageLifecycleComplete: RuleDefinition = {
    name: "cold-storage-lifecycle-complete",
    description:
        "Every bucket that receives backups has a lifecycle configuration expiring current and noncurrent versions under each prefix it receives backups at.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation:
        "Give the bucket an aws.s3.BucketLifecycleConfiguration with, for each prefix backups land under, an enabled rule filtered by that prefix (or a shorter one) with expiration.days and noncurrentVersionExpiration.noncurrentDays. With this stack the ColdStorage component creates it from qalita-dr:elements.<element>.retentionDays: restore the `<bucket>-lifecycle` resource rather than writing one by hand.",
    check(resources) {
        const linked = linkBuckets(resources);
        const received = receivedPrefixes(resources, linked);
        return [...received.unmanaged, ...linked.flatMap((bucket) => bucketFindings(bucket, received.byBucket.get(bucket.bucket.urn)))];
    },
};

interface Received {
    /** Bucket URN → the prefixes it receives backups under. */
    readonly byBucket: Map<string, Set<string>>;
    /** Buckets the writer writes to that this stack does not hold: their lifecycle can't be seen. */
    readonly unmanaged: Finding[];
}

function receivedPrefixes(resources: readonly PlanResource[], linked: readonly LinkedBucket[]): Received {
    const byBucket = new Map<string, Set<string>>();
    const add = (bucket: PlanResource, prefix: string) => byBucket.set(bucket.urn, (byBucket.get(bucket.urn) ?? new Set()).add(prefix));
    const buckets = linked.map(({ bucket }) => bucket);
    for (const bucket of buckets) {
        const tag = valuesAt(bucket.props, ["tags", BACKUP_PREFIXES_TAG])[0];
        if (typeof tag === "string") for (const prefix of tag.split(/\s+/).filter((p) => p !== "")) add(bucket, prefix);
    }
    const unmanaged: Finding[] = [];
    for (const { resource, read } of backupWriters(resources).documents) {
        const document = readPolicyDocument(read);
        // Unreadable documents are backup-writer-cannot-delete's to refuse.
        if (document === UNKNOWN || "unreadable" in document) continue;
        const puts = document.statements.filter(
            (statement) => statement.effect === "Allow" && !statement.inverted && statement.actions.some((action) => actionsOverlap(action, "s3:PutObject")),
        );
        for (const arn of puts.flatMap((statement) => statement.resources)) {
            if (arn === UNKNOWN_LEAF) continue;
            const target = arn === "*" ? { bucket: "*", key: "*" } : objectTarget(arn);
            if (!target) continue;
            const prefix = literalPrefix(target.key);
            const matching = buckets.filter((bucket) => {
                const name = bucketName(bucket);
                return name !== undefined && globMatches(target.bucket, name);
            });
            matching.forEach((bucket) => add(bucket, prefix));
            // An autonamed bucket of the stack may be the one: only a name no bucket can hold is foreign.
            if (matching.length === 0 && !/[*?$]/.test(target.bucket) && buckets.every((bucket) => bucketName(bucket) !== undefined)) {
                unmanaged.push({
                    urn: resource.urn,
                    message: `${urnName(resource.urn)} lets the backup writer put objects in s3://${target.bucket}/${prefix}, a bucket this stack does not manage: nothing shows that a lifecycle expires those backups; write backups only to the stack's bucket, or manage that bucket (with its lifecycle) in this stack`,
                });
            }
        }
    }
    return { byBucket, unmanaged };
}

function objectTarget(arn: string): { bucket: string; key: string } | undefined {
    const match = OBJECT_ARN.exec(arn);
    return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** The literal start of an IAM resource pattern's key: up to the first wildcard or policy variable. */
function literalPrefix(key: string): string {
    const wildcard = key.search(/[*?$]/);
    return wildcard === -1 ? key : key.slice(0, wildcard);
}

function globMatches(pattern: string, name: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(name);
}

function bucketFindings(linked: LinkedBucket, prefixes: Set<string> | undefined): Finding[] {
    if (!prefixes || prefixes.size === 0) return [];
    const where = `bucket ${bucketName(linked.bucket) ?? urnName(linked.bucket.urn)}`;
    const list = [...prefixes].sort();
    const rules: LifecycleRule[] = [];
    for (const lifecycle of linked.settings.lifecycle) {
        const planned = known(() => lifecycle.props.rules);
        if (planned === UNKNOWN) return [];
        if (Array.isArray(planned)) rules.push(...(planned as LifecycleRule[]));
    }
    if (linked.settings.lifecycle.length === 0) {
        return [
            {
                urn: linked.bucket.urn,
                message: `${where} receives backups under ${list.map((p) => `"${p}"`).join(", ")} but has no lifecycle configuration: nothing ever expires them (retention unbounded, cost growing); add an aws.s3.BucketLifecycleConfiguration with, per prefix, expiration.days and noncurrentVersionExpiration.noncurrentDays — ${fixFor(list)}`,
            },
        ];
    }
    const urn = linked.settings.lifecycle[0].urn;
    return list.flatMap((prefix): Finding[] => {
        const covering = rules.filter((rule) => covers(rule, prefix));
        const missing = [
            ...(covering.some(expiresCurrent) ? [] : ["expiration (days or date) of current versions"]),
            ...(covering.some(expiresNoncurrent)
                ? []
                : ["noncurrentVersionExpiration of noncurrent versions (in a versioned bucket, expired objects otherwise stay billed forever)"]),
        ];
        if (missing.length === 0) return [];
        const what = covering.length === 0 ? "no enabled lifecycle rule covers it" : `the enabled rules covering it have no ${missing.join(" and no ")}`;
        return [
            {
                urn,
                message: `${where} receives backups under "${prefix}" but ${what}; add an enabled rule filtered by prefix "${prefix}" with expiration.days and noncurrentVersionExpiration.noncurrentDays — ${fixFor([prefix])}`,
            },
        ];
    });
}

/** Enabled, for every object under the prefix: no tag or size filter, and a prefix filter the backup prefix starts with. */
function covers(rule: LifecycleRule, prefix: string): boolean {
    const record = asRecord(rule);
    if (!record || !isEnabled(rule) || hasTagFilter(rule)) return false;
    const filter = asRecord(rule.filter);
    const and = asRecord(filter?.and);
    const sized = [filter?.objectSizeGreaterThan, filter?.objectSizeLessThan, and?.objectSizeGreaterThan, and?.objectSizeLessThan].some(
        (size) => size !== undefined && size !== null,
    );
    return !sized && prefix.startsWith(rulePrefix(rule).value);
}

function expiresCurrent(rule: LifecycleRule): boolean {
    const expiration = asRecord(rule.expiration);
    return expiration !== undefined && (isSet(expiration.days) || isSet(expiration.date));
}

function expiresNoncurrent(rule: LifecycleRule): boolean {
    return isSet(asRecord(rule.noncurrentVersionExpiration)?.noncurrentDays);
}

function isSet(value: unknown): boolean {
    return value !== undefined && value !== null;
}

/** Where the stack's config sets the lifecycle of these prefixes. */
function fixFor(prefixes: readonly string[]): string {
    const keys = prefixes.flatMap((prefix) => {
        const element = ELEMENTS.find((candidate) => prefix === elementPrefix(candidate));
        return element ? [`qalita-dr:elements.${element}.retentionDays`] : [];
    });
    return keys.length > 0 ? `with this stack, ${keys.join(" and ")} set them` : "the stack's config sets them only for its element prefixes";
}
