import { strict as assert } from "node:assert";
import { denyInsecureTransportPolicy } from "../../components/cold-storage/policy-documents";
import { UNKNOWN_SENTINEL, PlanResource } from "../../contracts/preview";
import { coldStorageHardened } from "../../policies/rules/cold-storage-hardened";

const urn = (type: string, name: string) => `urn:pulumi:dev::qalita-dr::qalita-dr:cold-storage:ColdStorage$${type}::${name}`;
const resource = (type: string, name: string, props: Record<string, any>): PlanResource => ({ urn: urn(type, name), type, props });

const V7 = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
};
const V2 = {
    bucket: "aws:s3/bucketV2:BucketV2",
    versioning: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    encryption: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
};

/** A bucket and its four settings, as the ColdStorage component plans them; `link` is each setting's `bucket` input. */
function hardened(name: string, bucketName: string, types = V7, link: unknown = bucketName): PlanResource[] {
    const bucket = link === undefined ? {} : { bucket: link };
    return [
        resource(types.bucket, name, { bucket: bucketName }),
        resource(types.versioning, `${name}-versioning`, { ...bucket, versioningConfiguration: { status: "Enabled" } }),
        resource(types.encryption, `${name}-encryption`, {
            ...bucket,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN_SENTINEL }, bucketKeyEnabled: true }],
        }),
        resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${name}-public-access-block`, {
            ...bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
        resource("aws:s3/bucketPolicy:BucketPolicy", `${name}-policy`, {
            ...bucket,
            policy: JSON.stringify(denyInsecureTransportPolicy(`arn:aws:s3:::${bucketName}`)),
        }),
    ];
}

function replace(resources: PlanResource[], suffix: string, props: Record<string, any> | undefined): PlanResource[] {
    return resources.flatMap((r) => (r.urn.endsWith(suffix) ? (props ? [{ ...r, props: { ...r.props, ...props } }] : []) : [r]));
}

/** What CrossGuard hands a rule at preview: touching an unknown property throws. */
class UnknownValueError extends Error {}
function crossGuardUnknown(target: PlanResource, key: string): PlanResource {
    return {
        ...target,
        props: new Proxy(target.props, {
            get: (props, p) => {
                if (p === key) throw new UnknownValueError(`${key} can't be known during preview`);
                return props[p as string];
            },
        }),
    };
}

describe("policy cold-storage-hardened", () => {
    it("passes a bucket with its settings linked by name, in the v7 and the deprecated V2 types", () => {
        assert.deepEqual(coldStorageHardened.check(hardened("cs-bucket", "qalita-dr-dev")), []);
        assert.deepEqual(coldStorageHardened.check(hardened("cs-bucket", "qalita-dr-dev", V2)), []);
    });

    it("links settings by resource name when their bucket input is unknown at preview or absent", () => {
        assert.deepEqual(coldStorageHardened.check(hardened("cs-bucket", "qalita-dr-dev", V7, UNKNOWN_SENTINEL)), []);
        assert.deepEqual(coldStorageHardened.check(hardened("cs-bucket", "qalita-dr-dev", V7, undefined)), []);
        // The longest bucket name wins: cs-bucket-replica-* settings are the replica's, not cs-bucket's.
        const replicaOnly = [resource(V7.bucket, "cs-bucket", { bucket: "a" }), ...hardened("cs-bucket-replica", "a-replica", V7, UNKNOWN_SENTINEL)];
        const [violation, ...others] = coldStorageHardened.check(replicaOnly);
        assert.deepEqual(others, []);
        assert.equal(violation.urn, urn(V7.bucket, "cs-bucket"));
    });

    it("fails a bucket without a public access block, naming the bucket and only what is missing", () => {
        const [violation, ...others] = coldStorageHardened.check(replace(hardened("cs-bucket", "qalita-dr-dev", V2), "-public-access-block", undefined));
        assert.deepEqual(others, []);
        assert.equal(violation.urn, urn(V2.bucket, "cs-bucket"));
        assert.match(violation.message, /^bucket "qalita-dr-dev" \(cs-bucket\) is not hardened; public access block: add an aws\.s3\.BucketPublicAccessBlock/);
        assert.doesNotMatch(violation.message, /versioning|KMS|TLS/);
    });

    it("fails each safeguard switched off or weakened", () => {
        const cases: [string, Record<string, any>, RegExp][] = [
            ["-versioning", { versioningConfiguration: { status: "Suspended" } }, /versioning: add/],
            ["-encryption", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, /KMS encryption: add/],
            ["-public-access-block", { ignorePublicAcls: false }, /public access block: add/],
            [
                "-policy",
                {
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:GetObject",
                                Resource: "arn:aws:s3:::b/*",
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                },
                /TLS only: add/,
            ],
            [
                "-policy",
                {
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: "arn:aws:s3:::b/*",
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                },
                /TLS only: add/,
            ],
            ["-policy", { policy: "[secret]" }, /TLS only: add/],
        ];
        for (const [suffix, props, expected] of cases) {
            const violations = coldStorageHardened.check(replace(hardened("cs-bucket", "qalita-dr-dev"), suffix, props));
            assert.equal(violations.length, 1, `${suffix} ${JSON.stringify(props)}`);
            assert.match(violations[0].message, expected);
        }
    });

    it("does not count another bucket's settings, nor settings of a bucket managed elsewhere", () => {
        const two = [...hardened("cs-bucket", "qalita-dr-dev"), resource(V7.bucket, "logs", { bucket: "qalita-logs" })];
        const violations = coldStorageHardened.check(two);
        assert.deepEqual(
            violations.map((v) => v.urn),
            [urn(V7.bucket, "logs")],
        );
        assert.match(violations[0].message, /versioning.*KMS encryption.*public access block.*TLS only/);
        const elsewhere = replace(hardened("cs-bucket", "qalita-dr-dev"), "-versioning", { bucket: "someone-elses-bucket" });
        assert.match(coldStorageHardened.check(elsewhere)[0].message, /versioning: add/);
    });

    it("accepts the deprecated inline arguments of a BucketV2", () => {
        const inline = [
            resource(V2.bucket, "legacy", {
                bucket: "legacy",
                versionings: [{ enabled: true }],
                serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] }],
                policy: JSON.stringify(denyInsecureTransportPolicy("arn:aws:s3:::legacy")),
            }),
            ...hardened("legacy", "legacy").filter((r) => r.urn.endsWith("-public-access-block")),
        ];
        assert.deepEqual(coldStorageHardened.check(inline), []);
    });

    it("does not judge what is unknown at preview, whether the JSON says so or CrossGuard throws", () => {
        assert.deepEqual(coldStorageHardened.check(replace(hardened("cs-bucket", "qalita-dr-dev"), "-policy", { policy: UNKNOWN_SENTINEL })), []);
        const thrown = hardened("cs-bucket", "qalita-dr-dev").map((r) => (r.urn.endsWith("-policy") ? crossGuardUnknown(r, "policy") : r));
        assert.deepEqual(coldStorageHardened.check(thrown), []);
        const linkThrows = hardened("cs-bucket", "qalita-dr-dev").map((r) => (r.urn.endsWith("-versioning") ? crossGuardUnknown(r, "bucket") : r));
        assert.deepEqual(coldStorageHardened.check(linkThrows), []);
    });
});
