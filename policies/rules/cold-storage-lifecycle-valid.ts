/**
 * cold-storage-lifecycle-valid — every bucket lifecycle configuration (v7 and the deprecated V2
 * type) passes the validator the config layer uses (contracts/s3-lifecycle/lifecycle-validate.ts):
 * nothing S3 would reject at `pulumi up`, nothing that silently costs money or backups.
 *
 * Two checks need the bucket: Object Lock (a lock outliving the expiration keeps versions billed)
 * is read from the bucket's BucketObjectLockConfiguration, and repository prefixes (a lifecycle
 * over a kopia/restic/Velero repository corrupts it) from the bucket's `qalita-dr/repository-
 * prefixes` tag, which the ColdStorage component sets. A configuration whose rules are unknown at
 * preview is not judged (policies/lib/plan-values.ts).
 */
import { REPOSITORY_PREFIXES_TAG } from "../../contracts/cold-storage";
import { LifecycleConfigurationInputs } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { ValidateLifecycleOptions, validateLifecycleConfiguration } from "../../contracts/s3-lifecycle/lifecycle-validate";
import { UNKNOWN, known, urnName, valuesAt } from "../lib/plan-values";
import { RuleDefinition } from "../lib/resources";
import { LinkedBucket, SETTING_TYPES, linkBuckets } from "../lib/s3-buckets";

/** S3 counts an Object Lock year as 365 days. */
const DAYS_PER_LOCK_YEAR = 365;

export const coldStorageLifecycleValid: RuleDefinition = {
    name: "cold-storage-lifecycle-valid",
    description: "Every S3 lifecycle configuration is one S3 accepts and that neither wastes money nor destroys backups (object lock, repositories).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation:
        "Change the lifecycle rule as the message says; with this stack, through qalita-dr:elements.<element>.retentionDays and tiering (and coldStorage.objectLock, coldStorage.repositoryPrefixes), which the config validates with the same checks.",
    check(resources) {
        const owners = new Map(linkBuckets(resources).flatMap((linked) => linked.settings.lifecycle.map((lifecycle) => [lifecycle.urn, linked] as const)));
        return resources
            .filter((resource) => (SETTING_TYPES.lifecycle as readonly string[]).includes(resource.type))
            .flatMap((lifecycle) => {
                const inputs = known(() => ({
                    rules: lifecycle.props.rules,
                    transitionDefaultMinimumObjectSize: lifecycle.props.transitionDefaultMinimumObjectSize,
                }));
                if (inputs === UNKNOWN) return [];
                const owner = owners.get(lifecycle.urn);
                const opts = owner ? bucketOptions(owner) : {};
                return validateLifecycleConfiguration(inputs as LifecycleConfigurationInputs, opts).map((problem) => ({
                    urn: lifecycle.urn,
                    message: `${urnName(lifecycle.urn)} ${problem.key}: ${problem.message}`,
                }));
            });
    },
};

function bucketOptions({ bucket, settings }: LinkedBucket): ValidateLifecycleOptions {
    const days = settings.objectLock
        .flatMap((lock) => [
            ...valuesAt(lock.props, ["rule", "defaultRetention", "days"]),
            ...valuesAt(lock.props, ["rule", "defaultRetention", "years"]).map((years) => (typeof years === "number" ? years * DAYS_PER_LOCK_YEAR : years)),
        ])
        .filter((value): value is number => typeof value === "number");
    const tag = valuesAt(bucket.props, ["tags", REPOSITORY_PREFIXES_TAG])[0];
    return {
        objectLockDays: days.length > 0 ? Math.max(...days) : undefined,
        repositoryPrefixes: typeof tag === "string" ? tag.split(/\s+/).filter((prefix) => prefix !== "") : [],
    };
}
