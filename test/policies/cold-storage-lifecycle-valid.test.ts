import { strict as assert } from "node:assert";
import { deriveLifecycleRule } from "../../config/cold-storage/lifecycle-derive";
import { UNKNOWN_SENTINEL, PlanResource } from "../../contracts/preview";
import { coldStorageLifecycleValid } from "../../policies/rules/cold-storage-lifecycle-valid";

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const LIFECYCLE_V2 = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2";
const urn = (type: string, name: string) => `urn:pulumi:dev::qalita-dr::${type}::${name}`;
const resource = (type: string, name: string, props: Record<string, any>): PlanResource => ({ urn: urn(type, name), type, props });

const postgresql = deriveLifecycleRule({ element: "postgresql", prefix: "postgresql/", criticality: "critical", retentionDays: 365 });
const agents = deriveLifecycleRule({ element: "agents", prefix: "agents/", criticality: "moderate", retentionDays: 90 });

function bucket(tags: Record<string, string> = {}): PlanResource {
    return resource("aws:s3/bucket:Bucket", "cs-bucket", { bucket: "qalita-dr-dev", tags });
}
function lifecycle(rules: unknown, type = LIFECYCLE, link: unknown = "qalita-dr-dev"): PlanResource {
    return resource(type, "cs-bucket-lifecycle", { bucket: link, rules, transitionDefaultMinimumObjectSize: "all_storage_classes_128K" });
}
function objectLock(retention: Record<string, unknown>): PlanResource {
    return resource("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "cs-bucket-object-lock", {
        bucket: "qalita-dr-dev",
        rule: { defaultRetention: { mode: "GOVERNANCE", ...retention } },
    });
}

describe("policy cold-storage-lifecycle-valid", () => {
    it("passes the rules the config layer derives, in both types", () => {
        for (const type of [LIFECYCLE, LIFECYCLE_V2])
            assert.deepEqual(coldStorageLifecycleValid.check([bucket(), lifecycle([postgresql, agents], type)]), [], type);
    });

    it("fails a rule S3 would reject, naming the resource and the rule path", () => {
        const early = { ...agents, transitions: [{ days: 10, storageClass: "STANDARD_IA" }] };
        const [violation, ...others] = coldStorageLifecycleValid.check([bucket(), lifecycle([postgresql, early], LIFECYCLE_V2)]);
        assert.deepEqual(others, []);
        assert.equal(violation.urn, urn(LIFECYCLE_V2, "cs-bucket-lifecycle"));
        assert.match(violation.message, /^cs-bucket-lifecycle rules\[1\]\.transitions\[0\]\.days: STANDARD_IA at day 10/);
        const size = lifecycle([postgresql]);
        assert.match(
            coldStorageLifecycleValid.check([{ ...size, props: { ...size.props, transitionDefaultMinimumObjectSize: "64K" } }])[0].message,
            /transitionDefaultMinimumObjectSize: S3 accepts/,
        );
    });

    it("refuses day counts beyond S3's 32-bit integers", () => {
        const huge = { ...agents, expiration: { days: 99999999999 }, noncurrentVersionExpiration: { noncurrentDays: 99999999999 } };
        const violations = coldStorageLifecycleValid.check([bucket(), lifecycle([postgresql, huge])]);
        assert.deepEqual(
            violations.map((violation) => violation.message.replace(/:.*/, "")),
            ["cs-bucket-lifecycle rules[1].expiration.days", "cs-bucket-lifecycle rules[1].noncurrentVersionExpiration.noncurrentDays"],
        );
        assert.match(
            violations[0].message,
            /99999999999 days is beyond what S3 takes \(its day counts are 32-bit integers, at most 2147483647\); write days: a whole number from 1 to 2147483647/,
        );
        const longest = { ...agents, expiration: { days: 2147483647 }, noncurrentVersionExpiration: { noncurrentDays: 2147483647 } };
        assert.deepEqual(coldStorageLifecycleValid.check([bucket(), lifecycle([postgresql, longest])]), []);
    });

    it("reads the bucket's Object Lock: a default retention outliving an expiration fails", () => {
        assert.deepEqual(coldStorageLifecycleValid.check([bucket(), objectLock({ days: 30 }), lifecycle([postgresql, agents])]), []);
        const violations = coldStorageLifecycleValid.check([bucket(), objectLock({ years: 1 }), lifecycle([postgresql, agents])]);
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /rules\[1\]\.expiration\.days: Object Lock keeps every version 365 days but this rule expires objects at day 90/);
    });

    it("reads the bucket's repository-prefixes tag: a rule over a kopia/restic/Velero repository fails", () => {
        assert.deepEqual(coldStorageLifecycleValid.check([bucket({ "qalita-dr/repository-prefixes": "velero/ kopia/" }), lifecycle([postgresql, agents])]), []);
        const violations = coldStorageLifecycleValid.check([
            bucket({ "qalita-dr/repository-prefixes": "velero/ postgresql/kopia/" }),
            lifecycle([postgresql, agents]),
        ]);
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /rules\[0\]\.filter\.prefix: this rule's prefix "postgresql\/" overlaps the repository at "postgresql\/kopia\/"/);
    });

    it("finds the bucket by resource name when the lifecycle's bucket input is unknown", () => {
        const violations = coldStorageLifecycleValid.check([bucket(), objectLock({ days: 400 }), lifecycle([postgresql], LIFECYCLE, UNKNOWN_SENTINEL)]);
        assert.match(violations[0].message, /Object Lock keeps every version 400 days/);
    });

    it("does not judge rules unknown at preview", () => {
        assert.deepEqual(coldStorageLifecycleValid.check([bucket(), lifecycle(UNKNOWN_SENTINEL)]), []);
        assert.deepEqual(coldStorageLifecycleValid.check([bucket(), lifecycle([{ ...postgresql, expiration: { days: UNKNOWN_SENTINEL } }])]), []);
    });
});
