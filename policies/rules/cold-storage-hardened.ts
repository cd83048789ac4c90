/**
 * cold-storage-hardened — every S3 bucket of the stack is versioned, encrypted with KMS, closed to
 * the public and refuses requests without TLS. Backups in a bucket missing any of these can be
 * overwritten for good, read by whoever holds the storage, published by one ACL, or sniffed.
 *
 * Settings are separate resources in @pulumi/aws v7 (and in the deprecated `…V2` types), linked
 * to their bucket as policies/lib/s3-buckets.ts explains; the deprecated inline arguments of the
 * bucket itself count too. A setting whose value is unknown at preview is not judged (see
 * policies/lib/plan-values.ts); its absence is.
 */
import { isEveryone, readPolicyDocument, requiresNoTls, Statement } from "../lib/iam-statements";
import { UNKNOWN, urnName, valuesAt, Verdict, verdict } from "../lib/plan-values";
import { RuleDefinition } from "../lib/resources";
import { LinkedBucket, bucketName, linkBuckets } from "../lib/s3-buckets";
import { PlanResource } from "../../contracts/preview";

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

interface Requirement {
    readonly check: (linked: LinkedBucket) => Verdict;
    readonly fix: string;
}

const REQUIREMENTS: readonly Requirement[] = [
    {
        check: ({ bucket, settings }) =>
            verdict(
                [
                    ...settings.versioning.flatMap((setting) => valuesAt(setting.props, ["versioningConfiguration", "status"])),
                    ...valuesAt(bucket.props, ["versioning", "enabled"]).map((enabled) => (enabled === true ? "Enabled" : enabled)),
                    ...valuesAt(bucket.props, ["versionings", "enabled"]).map((enabled) => (enabled === true ? "Enabled" : enabled)),
                ],
                (status) => status === "Enabled",
            ),
        fix: 'versioning: add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" (without it an overwrite or delete loses the backup)',
    },
    {
        check: ({ bucket, settings }) =>
            verdict(
                [
                    ...settings.encryption.flatMap((setting) => valuesAt(setting.props, ["rules", "applyServerSideEncryptionByDefault", "sseAlgorithm"])),
                    ...valuesAt(bucket.props, ["serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault", "sseAlgorithm"]),
                    ...valuesAt(bucket.props, ["serverSideEncryptionConfigurations", "rules", "applyServerSideEncryptionByDefaults", "sseAlgorithm"]),
                ],
                (algorithm) => KMS_ALGORITHMS.includes(String(algorithm)),
            ),
        fix: 'KMS encryption: add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", a customer-managed key and bucketKeyEnabled: true',
    },
    {
        check: ({ settings }) =>
            worst(
                settings.publicAccessBlock.map((block) =>
                    worst(
                        PUBLIC_ACCESS_FLAGS.map((flag) => verdict(valuesAt(block.props, [flag]), (value) => value === true)),
                        "all",
                    ),
                ),
                "any",
            ),
        fix: `public access block: add an aws.s3.BucketPublicAccessBlock with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true`,
    },
    {
        check: ({ bucket, settings }) => worst([...settings.policy.map((policy) => denyNoTls(() => policy.props.policy)), ...inlinePolicy(bucket)], "any"),
        fix: 'TLS only: add an aws.s3.BucketPolicy with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN + "/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }',
    },
];

export const coldStorageHardened: RuleDefinition = {
    name: "cold-storage-hardened",
    description: "Every S3 bucket is versioned, KMS-encrypted, blocks public access and denies requests without TLS.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation:
        "Give the bucket a BucketVersioning (Enabled), a BucketServerSideEncryptionConfiguration with aws:kms, a BucketPublicAccessBlock with all four flags true and a BucketPolicy denying every request with aws:SecureTransport false; the stack's ColdStorage component creates all four.",
    check(resources) {
        return linkBuckets(resources).flatMap((linked) => {
            const missing = REQUIREMENTS.filter((requirement) => requirement.check(linked) === "missing");
            if (missing.length === 0) return [];
            return [{ urn: linked.bucket.urn, message: `bucket ${describe(linked.bucket)} is not hardened; ${missing.map((m) => m.fix).join("; ")}` }];
        });
    },
};

/** Does the document hold a Deny of every S3 action, to everyone, when the request is not TLS? */
function denyNoTls(read: () => unknown): Verdict {
    const document = readPolicyDocument(read);
    if (document === UNKNOWN) return "unknown";
    if ("unreadable" in document) return "missing";
    const denies = (statement: Statement) =>
        statement.effect === "Deny" &&
        !statement.inverted &&
        isEveryone(statement.principal) &&
        statement.actions.some((action) => action === "*" || action.toLowerCase() === "s3:*") &&
        requiresNoTls(statement) &&
        statement.resources.some((resource) => resource === "*" || resource.endsWith("/*"));
    return document.statements.some(denies) ? "ok" : "missing";
}

/** The deprecated inline `policy` argument, when set. */
function inlinePolicy(bucket: PlanResource): Verdict[] {
    return valuesAt(bucket.props, ["policy"]).length === 0 ? [] : [denyNoTls(() => bucket.props.policy)];
}

/**
 * `all`: every verdict must be ok (one public-access flag off fails). `any`: one ok is enough (one
 * policy among several holding the statement). No verdict at all: the setting is missing.
 */
function worst(verdicts: readonly Verdict[], mode: "all" | "any"): Verdict {
    if (verdicts.length === 0) return "missing";
    if (mode === "any") return verdicts.includes("ok") ? "ok" : verdicts.includes("unknown") ? "unknown" : "missing";
    return verdicts.includes("missing") ? "missing" : verdicts.includes("unknown") ? "unknown" : "ok";
}

function describe(bucket: PlanResource): string {
    const name = bucketName(bucket);
    return name ? `"${name}" (${urnName(bucket.urn)})` : urnName(bucket.urn);
}
