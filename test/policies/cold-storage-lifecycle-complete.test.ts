// Issue 13 (1): a bucket that receives backups must expire them — current and noncurrent
// versions, under every prefix it receives them at. Found from the bucket's backup-prefixes tag
// or from what the backup writer may put, not from the stack's own claims alone.
import { strict as assert } from "node:assert";
import { deriveLifecycleRule } from "../../config/cold-storage/lifecycle-derive";
import { UNKNOWN_SENTINEL, PlanResource } from "../../contracts/preview";
import { coldStorageLifecycleComplete } from "../../policies/rules/cold-storage-lifecycle-complete";

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const USER_POLICY = "aws:iam/userPolicy:UserPolicy";
const urn = (type: string, name: string) => `urn:pulumi:dev::qalita-dr::${type}::${name}`;
const resource = (type: string, name: string, props: Record<string, any>): PlanResource => ({ urn: urn(type, name), type, props });

const postgresql = deriveLifecycleRule({ element: "postgresql", prefix: "postgresql/", criticality: "critical", retentionDays: 365 });
const s3 = deriveLifecycleRule({ element: "s3", prefix: "s3/", criticality: "moderate", retentionDays: 180 });

function bucket(
    name = "qalita-dr-dev",
    tags: Record<string, string> = { "qalita-dr/backup-prefixes": "postgresql/ s3/" },
    resourceName = "cs-bucket",
): PlanResource {
    return resource(BUCKET, resourceName, { bucket: name, tags });
}
function lifecycle(rules: unknown, link: unknown = "qalita-dr-dev", resourceName = "cs-bucket-lifecycle"): PlanResource {
    return resource(LIFECYCLE, resourceName, { bucket: link, rules });
}
/** The stack's writer policy (components/cold-storage/policy-documents.ts writerPolicy), as an object. */
function writerPolicy(resources: string[]): PlanResource {
    return resource(USER_POLICY, "cs-backup-writer-policy", {
        name: "backup-writer",
        user: "cs-backup-writer-0a1b2c",
        policy: {
            Version: "2012-10-17",
            Statement: [
                { Sid: "WriteBackups", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: resources },
                { Effect: "Allow", Action: "kms:GenerateDataKey", Resource: UNKNOWN_SENTINEL },
            ],
        },
    });
}
const check = (...resources: PlanResource[]) => coldStorageLifecycleComplete.check(resources);

describe("policy cold-storage-lifecycle-complete", () => {
    it("passes the stack's bucket with the lifecycle rules the config derives", () => {
        assert.deepEqual(
            check(bucket(), lifecycle([postgresql, s3]), writerPolicy(["arn:aws:s3:::qalita-dr-dev/postgresql/*", "arn:aws:s3:::qalita-dr-dev/s3/*"])),
            [],
        );
        // A bucket that receives no backups is none of this rule's business.
        assert.deepEqual(check(bucket("logs", {})), []);
    });

    it("fails a backup bucket without any lifecycle configuration, naming its prefixes and the config keys", () => {
        const [violation, ...others] = check(bucket());
        assert.deepEqual(others, []);
        assert.equal(violation.urn, urn(BUCKET, "cs-bucket"));
        assert.match(violation.message, /^bucket qalita-dr-dev receives backups under "postgresql\/", "s3\/" but has no lifecycle configuration/);
        assert.match(violation.message, /qalita-dr:elements\.postgresql\.retentionDays and qalita-dr:elements\.s3\.retentionDays/);
    });

    it("finds backup buckets from the writer's policy when the bucket carries no tag", () => {
        const [violation] = check(bucket("qalita-dr-dev", {}), writerPolicy(["arn:aws:s3:::qalita-dr-dev/agents/*"]));
        assert.match(violation.message, /receives backups under "agents\/" but has no lifecycle/);
        // A writer allowed anywhere in the bucket: everything in it must expire.
        const [anywhere] = check(bucket("qalita-dr-dev", {}), lifecycle([postgresql]), writerPolicy(["arn:aws:s3:::qalita-dr-*/*"]));
        assert.match(anywhere.message, /receives backups under "" but no enabled lifecycle rule covers it/);
    });

    it("fails a prefix no enabled rule expires, in current and in noncurrent versions", () => {
        const [missing] = check(bucket(), lifecycle([postgresql]));
        assert.equal(missing.urn, urn(LIFECYCLE, "cs-bucket-lifecycle"));
        assert.match(missing.message, /receives backups under "s3\/" but no enabled lifecycle rule covers it; add an enabled rule filtered by prefix "s3\/"/);
        const { noncurrentVersionExpiration: _, ...currentOnly } = s3;
        const [noncurrent] = check(bucket(), lifecycle([postgresql, currentOnly]));
        assert.match(noncurrent.message, /"s3\/" but the enabled rules covering it have no noncurrentVersionExpiration/);
        const { expiration: __, ...noncurrentOnly } = s3;
        assert.match(check(bucket(), lifecycle([postgresql, noncurrentOnly]))[0].message, /have no expiration \(days or date\) of current versions/);
    });

    it("counts only rules that cover every object under the prefix", () => {
        const variants = {
            disabled: { ...s3, status: "Disabled" },
            narrower: { ...s3, filter: { prefix: "s3/buckets/" } },
            tagged: { ...s3, filter: { and: { prefix: "s3/", tags: { keep: "no" } } } },
            sized: { ...s3, filter: { and: { prefix: "s3/", objectSizeGreaterThan: 1024 } } },
        };
        for (const [what, rule] of Object.entries(variants)) assert.equal(check(bucket(), lifecycle([postgresql, rule])).length, 1, what);
        // One rule over the whole bucket covers every prefix, as two rules splitting the actions do.
        assert.deepEqual(check(bucket(), lifecycle([{ ...s3, id: "all", filter: {} }])), []);
        const { noncurrentVersionExpiration: _, ...currentOnly } = s3;
        assert.deepEqual(
            check(
                bucket(),
                lifecycle([
                    postgresql,
                    currentOnly,
                    { id: "old-versions", status: "Enabled", filter: { prefix: "s3/" }, noncurrentVersionExpiration: { noncurrentDays: 30 } },
                ]),
            ),
            [],
        );
    });

    it("checks the replica too: it is tagged with the prefixes it receives", () => {
        const replica = bucket("qalita-dr-dev-replica", { "qalita-dr/backup-prefixes": "postgresql/ s3/" }, "cs-replica");
        const violations = check(bucket(), lifecycle([postgresql, s3]), replica);
        assert.deepEqual(
            violations.map((violation) => violation.urn),
            [urn(BUCKET, "cs-replica")],
        );
        assert.deepEqual(
            check(bucket(), lifecycle([postgresql, s3]), replica, lifecycle([postgresql, s3], "qalita-dr-dev-replica", "cs-replica-lifecycle")),
            [],
        );
    });

    it("fails a writer that puts backups into a bucket the stack does not manage", () => {
        const [violation] = check(bucket(), lifecycle([postgresql, s3]), writerPolicy(["arn:aws:s3:::someone-elses-bucket/postgresql/*"]));
        assert.equal(violation.urn, urn(USER_POLICY, "cs-backup-writer-policy"));
        assert.match(violation.message, /s3:\/\/someone-elses-bucket\/postgresql\/, a bucket this stack does not manage/);
    });

    it("does not judge rules unknown at preview", () => {
        assert.deepEqual(check(bucket(), lifecycle(UNKNOWN_SENTINEL)), []);
    });
});
