/**
 * One hardened, KMS-encrypted backup bucket with its own key — the source bucket and its replica
 * are both built here, so they cannot drift apart. Every setting is its own v7 resource, named
 * `<bucket resource name>-<setting>`: the policy pack links settings to buckets by that name when
 * the `bucket` input is not known yet.
 */
import * as pulumi from "@pulumi/pulumi";
import { Alias, Key } from "@pulumi/aws/kms";
import {
    Bucket,
    BucketLifecycleConfiguration,
    BucketObjectLockConfiguration,
    BucketOwnershipControls,
    BucketPolicy,
    BucketPublicAccessBlock,
    BucketServerSideEncryptionConfiguration,
    BucketVersioning,
} from "@pulumi/aws/s3";
import { LifecycleRule } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { BACKUP_PREFIXES_TAG, REPOSITORY_PREFIXES_TAG } from "../../contracts/cold-storage";
import { bucketArn, denyInsecureTransportPolicy } from "./policy-documents";

export interface ObjectLockSettings {
    readonly mode: "GOVERNANCE" | "COMPLIANCE";
    readonly days: number;
}

export interface HardenedBucketArgs {
    readonly bucketName: string;
    readonly partition: string;
    /** What the key protects, for whoever finds it in the KMS console. */
    readonly keyDescription: string;
    readonly objectLock?: ObjectLockSettings;
    readonly lifecycleRules: readonly LifecycleRule[];
    readonly transitionDefaultMinimumObjectSize: string;
    readonly repositoryPrefixes: readonly string[];
    /** The prefixes backups land under (tagged for the policy pack: each needs a lifecycle rule). */
    readonly backupPrefixes: readonly string[];
    readonly forceDestroy: boolean;
    readonly tags: Readonly<Record<string, string>>;
}

export interface HardenedBucket {
    readonly bucket: Bucket;
    readonly key: Key;
    /** Replication and lifecycle must wait for it. */
    readonly versioning: BucketVersioning;
}

/** `opts` carries the parent and, for the replica, the other region's provider. */
export function hardenedBucket(name: string, args: HardenedBucketArgs, opts: pulumi.CustomResourceOptions): HardenedBucket {
    const tags = {
        ...args.tags,
        ...(args.backupPrefixes.length > 0 ? { [BACKUP_PREFIXES_TAG]: args.backupPrefixes.join(" ") } : {}),
        ...(args.repositoryPrefixes.length > 0 ? { [REPOSITORY_PREFIXES_TAG]: args.repositoryPrefixes.join(" ") } : {}),
    };
    // 30 days (the maximum) to notice a scheduled deletion: without the key, every backup is lost.
    const key = new Key(`${name}-key`, { description: args.keyDescription, enableKeyRotation: true, deletionWindowInDays: 30, tags: args.tags }, opts);
    new Alias(`${name}-key-alias`, { name: `alias/${args.bucketName}`, targetKeyId: key.keyId }, opts);
    const bucket = new Bucket(
        name,
        {
            bucket: args.bucketName,
            forceDestroy: args.forceDestroy,
            // Object Lock can only be switched on when the bucket is created.
            objectLockEnabled: args.objectLock !== undefined,
            tags,
        },
        opts,
    );
    const on = (...dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ ...opts, dependsOn });
    const versioning = new BucketVersioning(`${name}-versioning`, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, opts);
    new BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.bucket,
            // Bucket keys: one KMS call per bucket-key period instead of one per object.
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
        },
        opts,
    );
    const publicAccessBlock = new BucketPublicAccessBlock(
        `${name}-public-access-block`,
        {
            bucket: bucket.bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    // ACLs off: every object belongs to the bucket owner, access is decided by policies alone.
    new BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    // Built from the name, not the bucket's arn output, so the document is known at preview and
    // the policy pack can read it. After the public access block: S3 aborts concurrent bucket edits.
    new BucketPolicy(
        `${name}-policy`,
        {
            bucket: bucket.bucket,
            policy: JSON.stringify(denyInsecureTransportPolicy(bucketArn(args.bucketName, args.partition))),
        },
        on(publicAccessBlock),
    );
    if (args.objectLock) {
        new BucketObjectLockConfiguration(
            `${name}-object-lock`,
            {
                bucket: bucket.bucket,
                rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
            },
            on(versioning),
        );
    }
    if (args.lifecycleRules.length > 0) {
        new BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.bucket,
                rules: args.lifecycleRules.map(toRuleInput),
                // Explicit, so a provider or S3 default change never silently changes what transitions.
                transitionDefaultMinimumObjectSize: args.transitionDefaultMinimumObjectSize,
            },
            on(versioning),
        );
    }
    return { bucket, key, versioning };
}

/** The config's rules are readonly plain data; the provider's input type wants mutable arrays. */
function toRuleInput(rule: LifecycleRule) {
    return {
        ...rule,
        filter: rule.filter && { ...rule.filter, and: rule.filter.and && { ...rule.filter.and, tags: rule.filter.and.tags && { ...rule.filter.and.tags } } },
        transitions: rule.transitions && [...rule.transitions],
        noncurrentVersionTransitions: rule.noncurrentVersionTransitions && [...rule.noncurrentVersionTransitions],
    };
}
