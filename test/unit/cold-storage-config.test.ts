import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CATALOG, elementPrefix } from "../../config/catalog";
import { resolveColdStorage } from "../../config/cold-storage/resolve";
import { coldStorageSchema, RawColdStorage } from "../../config/cold-storage/schema";
import { deriveLifecycleRule } from "../../config/cold-storage/lifecycle-derive";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { validateLifecycle, validateLifecycleConfiguration } from "../../contracts/s3-lifecycle/lifecycle-validate";
import { ElementSpec } from "../../config/spec";
import { US_EAST_1_PRICES } from "../../config/cold-storage/prices";

type Elements = Record<ElementName, ElementSpec>;
/** The catalog's defaults, as the config layer resolves them for a stack that sets nothing. */
const DEFAULTS = Object.fromEntries(
    ELEMENTS.map((element) => {
        const { criticality, enabled, retentionDays, state } = CATALOG[element];
        return [
            element,
            {
                element,
                criticality,
                enabled: criticality !== "none" && enabled,
                retentionDays,
                state,
                coldStoragePrefix: criticality === "none" ? undefined : elementPrefix(element),
            },
        ];
    }),
) as Elements;
const withElements = (changes: Partial<Record<ElementName, Partial<ElementSpec>>>): Elements =>
    Object.fromEntries(Object.entries(DEFAULTS).map(([name, spec]) => [name, { ...spec, ...changes[name as ElementName] }])) as Elements;
const resolve = (raw: RawColdStorage | undefined, elements: Elements = DEFAULTS, stack = "dev") => resolveColdStorage(raw, elements, stack);
const messages = (raw: unknown) => {
    const parsed = coldStorageSchema.safeParse(raw);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("qalita-dr:coldStorage config", () => {
    it("accepts a complete object and refuses what S3 or the stack could not use, saying what to write", () => {
        assert.deepEqual(
            messages({
                bucketPrefix: "acme-dr",
                objectLock: { mode: "COMPLIANCE", days: 30 },
                replicaRegion: "us-gov-west-1",
                transitionDefaultMinimumObjectSize: "varies_by_storage_class",
                oidc: {
                    providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/ABC",
                    issuerUrl: "https://oidc.eks.eu-west-3.amazonaws.com/id/ABC",
                },
                expectedBackupSizeGb: { postgresql: 12.5 },
                prices: { DEEP_ARCHIVE: 0.002 },
                repositoryPrefixes: ["velero/"],
            }),
            [],
        );
        const cases: [unknown, RegExp][] = [
            [{ objectLock: { mode: "governance", days: 30 } }, /objectLock\.mode: write GOVERNANCE/],
            [{ objectLock: { mode: "GOVERNANCE", days: 0 } }, /objectLock\.days: write a number of days ≥ 1/],
            [{ replicaRegion: "Frankfurt" }, /replicaRegion: write an AWS region/],
            [{ transitionDefaultMinimumObjectSize: "64K" }, /write all_storage_classes_128K or varies_by_storage_class/],
            [{ oidc: { providerArn: "arn:aws:iam::123:role/x", issuerUrl: "https://x" } }, /oidc\.providerArn: write the IAM OIDC provider's ARN/],
            [{ expectedBackupSizeGb: { postgresql: 0 } }, /expectedBackupSizeGb\.postgresql: write a size in GB greater than 0/],
            [{ prices: { GLACIER: -1 } }, /prices\.GLACIER: write a price ≥ 0/],
            [{ repositoryPrefixes: [""] }, /repositoryPrefixes\.0: write a non-empty prefix/],
            [{ bucketPrefix: "Qalita" }, /bucketPrefix: write 3–42 lowercase/],
        ];
        for (const [raw, expected] of cases)
            assert.ok(
                messages(raw).some((m) => expected.test(m)),
                `${JSON.stringify(raw)} → ${messages(raw).join(" | ")}`,
            );
        assert.match(messages({ replica: "eu-central-1" }).join(), /unrecognized|replica/i);
    });

    it("resolves defaults: bucket per stack, one derived rule per enabled element, default sizes and prices", () => {
        const { spec, problems } = resolve(undefined);
        assert.deepEqual(problems, []);
        assert.equal(spec.bucketName, "qalita-dr-dev");
        assert.equal(spec.transitionDefaultMinimumObjectSize, "all_storage_classes_128K");
        assert.deepEqual(
            spec.elements.map((e) => [e.element, e.prefix, e.expectedBackupSizeGb]),
            [
                ["postgresql", "postgresql/", 1],
                ["s3", "s3/", 20],
                ["agents", "agents/", 0.1],
            ],
        );
        assert.deepEqual(
            spec.elements[0].rule,
            deriveLifecycleRule({ element: "postgresql", prefix: "postgresql/", criticality: "critical", retentionDays: 365 }),
        );
        assert.equal(
            spec.elements[0].tieringWords,
            "STANDARD → STANDARD_IA 30 d → GLACIER_IR 90 d → DEEP_ARCHIVE 180 d, expire 365 d (noncurrent versions: 30 d more)",
        );
        // Dumps are written once each: noncurrent versions are expired or damaged dumps. The mirrors' are their history.
        assert.deepEqual(
            spec.elements.map((e) => [e.element, e.layout, e.rule.noncurrentVersionExpiration?.noncurrentDays]),
            [
                ["postgresql", "per-backup", 30],
                ["s3", "mirror", 180],
                ["agents", "mirror", 90],
            ],
        );
        assert.deepEqual(spec.prices, US_EAST_1_PRICES);
        assert.deepEqual([spec.objectLock, spec.replicaRegion, spec.oidc, spec.repositoryPrefixes], [undefined, undefined, undefined, []]);
    });

    it("keeps an element's tiering exactly as written, leaves disabled elements out, applies overrides", () => {
        const tiering = [
            { storageClass: "GLACIER_IR" as const, afterDays: 90 },
            { storageClass: "STANDARD_IA" as const, afterDays: 30 },
        ];
        const { spec } = resolve(
            { expectedBackupSizeGb: { redis: 2 }, prices: { GLACIER: 0.005 } },
            withElements({ s3: { tiering }, agents: { enabled: false }, redis: { enabled: true } }),
        );
        assert.deepEqual(
            spec.elements.map((e) => e.element),
            ["postgresql", "s3", "redis"],
        );
        assert.deepEqual(spec.elements[1].rule.transitions, [
            { days: 90, storageClass: "GLACIER_IR" },
            { days: 30, storageClass: "STANDARD_IA" },
        ]);
        assert.deepEqual(spec.elements[1].rule.noncurrentVersionTransitions, [
            { noncurrentDays: 30, storageClass: "STANDARD_IA" },
            { noncurrentDays: 90, storageClass: "GLACIER_IR" },
        ]);
        assert.equal(spec.elements[2].expectedBackupSizeGb, 2);
        assert.equal(spec.prices.GLACIER, 0.005);
        assert.equal(spec.prices.STANDARD, US_EAST_1_PRICES.STANDARD);
    });

    it("gives a configured tiering the layout's noncurrent actions, which the validator accepts like the pack will", () => {
        const tiering = [
            { storageClass: "GLACIER_IR" as const, afterDays: 0 },
            { storageClass: "DEEP_ARCHIVE" as const, afterDays: 90 },
        ];
        const { spec, problems } = resolve(
            { objectLock: { mode: "COMPLIANCE", days: 60 } },
            withElements({ postgresql: { tiering }, s3: { tiering, retentionDays: 365 } }),
        );
        assert.deepEqual(problems, []);
        const [postgresql, s3] = spec.elements;
        assert.deepEqual(postgresql.rule.noncurrentVersionExpiration, { noncurrentDays: 30 });
        assert.deepEqual(postgresql.rule.noncurrentVersionTransitions, [], "none would stay its class's minimum within 30 days");
        assert.deepEqual(s3.rule.noncurrentVersionExpiration, { noncurrentDays: 365 });
        assert.equal(s3.rule.noncurrentVersionTransitions?.length, 2);
        assert.deepEqual(validateLifecycleConfiguration({ rules: spec.elements.map((e) => e.rule) }, { objectLockDays: 60 }), []);
    });

    it("reports an Object Lock outliving an element's retention at objectLock.days, once per element", () => {
        const { problems } = resolve({ objectLock: { mode: "GOVERNANCE", days: 200 } });
        assert.deepEqual(
            problems.map((p) => p.key),
            ["qalita-dr:coldStorage.objectLock.days", "qalita-dr:coldStorage.objectLock.days"],
        );
        assert.match(problems[0].message, /^s3: Object Lock keeps every version 200 days .*write elements\.s3\.retentionDays: 200 or more, or shorten/);
        assert.match(problems[1].message, /^agents: /);
        assert.deepEqual(resolve({ objectLock: { mode: "COMPLIANCE", days: 90 } }).problems, []);
    });

    it("reports a repository prefix under an element's lifecycle rule at that prefix's key", () => {
        const { problems } = resolve({ repositoryPrefixes: ["velero/", "postgresql/kopia/"] });
        assert.deepEqual(
            problems.map((p) => p.key),
            ["qalita-dr:coldStorage.repositoryPrefixes[1]"],
        );
        assert.match(
            problems[0].message,
            /^the postgresql lifecycle rule \(prefix "postgresql\/"\): .*corrupts it; write a repository prefix outside every element's \(postgresql\/, s3\/, agents\/\)/,
        );
    });

    it("leaves tiering problems to tiering.ts: nothing reported twice", () => {
        const tiering = [{ storageClass: "STANDARD_IA" as const, afterDays: 10 }];
        const elements = withElements({ postgresql: { tiering } });
        const { spec, problems } = resolve({ objectLock: { mode: "GOVERNANCE", days: 30 } }, elements);
        assert.ok(validateLifecycle([spec.elements[0].rule]).length > 0);
        assert.deepEqual(problems, []);
    });

    it("checks the bucket name S3 will get, and the OIDC issuer against its provider", () => {
        assert.match(resolve(undefined, DEFAULTS, "Prod_EU").problems[0].message, /"qalita-dr-Prod_EU" .*lowercase letters, digits and hyphens only/);
        const [tooLong] = resolve({ bucketPrefix: "a".repeat(42) }, DEFAULTS, "production-europe-west").problems;
        assert.equal(tooLong.key, "qalita-dr:coldStorage.bucketPrefix");
        assert.match(tooLong.message, /\(65 characters\): S3 accepts at most 63; write a bucketPrefix 2 characters shorter/);
        // 56 characters fit, but not with "-replica" appended.
        assert.deepEqual(resolve({ bucketPrefix: "a".repeat(40) }, DEFAULTS, "prod-eu-west-12").problems, []);
        assert.match(
            resolve({ bucketPrefix: "a".repeat(40), replicaRegion: "eu-central-1" }, DEFAULTS, "prod-eu-west-12").problems[0].message,
            /the replica bucket would be "a+-prod-eu-west-12-replica" \(64 characters\)/,
        );
        const providerArn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/ABC";
        const ok = resolve({ oidc: { providerArn, issuerUrl: "https://oidc.eks.eu-west-3.amazonaws.com/id/ABC/" } });
        assert.deepEqual(ok.problems, []);
        assert.deepEqual(ok.spec.oidc, { providerArn, issuer: "oidc.eks.eu-west-3.amazonaws.com/id/ABC" });
        const [mismatch] = resolve({ oidc: { providerArn, issuerUrl: "https://oidc.eks.eu-west-3.amazonaws.com/id/OTHER" } }).problems;
        assert.equal(mismatch.key, "qalita-dr:coldStorage.oidc.issuerUrl");
    });

    it("agrees with the validator on the whole bucket configuration (generated)", () => {
        const elementNames = ["postgresql", "s3", "agents", "redis"] as const;
        const prefixes = fc.constantFrom("velero/", "kopia/", "postgresql/", "postgresql/repo/", "s3", "agents/x/", "redis/", "post");
        fc.assert(
            fc.property(
                fc.record({
                    postgresql: fc.integer({ min: 181, max: 900 }),
                    s3: fc.integer({ min: 181, max: 900 }),
                    agents: fc.integer({ min: 91, max: 900 }),
                    redis: fc.integer({ min: 91, max: 900 }),
                }),
                fc.record({ postgresql: fc.boolean(), s3: fc.boolean(), agents: fc.boolean(), redis: fc.boolean() }),
                fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
                fc.uniqueArray(prefixes, { maxLength: 3 }),
                (retention, enabled, lockDays, repositoryPrefixes) => {
                    const elements = withElements(Object.fromEntries(elementNames.map((e) => [e, { retentionDays: retention[e], enabled: enabled[e] }])));
                    const { spec, problems } = resolve(
                        { objectLock: lockDays === undefined ? undefined : { mode: "GOVERNANCE", days: lockDays }, repositoryPrefixes },
                        elements,
                    );
                    const whole = validateLifecycleConfiguration(
                        { rules: spec.elements.map((e) => e.rule), transitionDefaultMinimumObjectSize: spec.transitionDefaultMinimumObjectSize },
                        { objectLockDays: lockDays, repositoryPrefixes },
                    );
                    // The validator lists every repository a rule overlaps in one problem; resolve keys one per repository.
                    assert.equal(problems.length === 0, whole.length === 0);
                    const locked = spec.elements.filter((e) => lockDays !== undefined && lockDays > retention[e.element]).length;
                    assert.equal(problems.filter((p) => p.key.endsWith("objectLock.days")).length, locked);
                    for (const [index, repository] of repositoryPrefixes.entries()) {
                        const overlapping = spec.elements.filter((e) => repository.startsWith(e.prefix) || e.prefix.startsWith(repository)).length;
                        assert.equal(problems.filter((p) => p.key.endsWith(`repositoryPrefixes[${index}]`)).length, overlapping, repository);
                    }
                },
            ),
            { numRuns: 150 },
        );
    });
});
