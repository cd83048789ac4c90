import { strict as assert } from "node:assert";
import fc from "fast-check";
import { LifecycleFilter, LifecycleRule } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { ColdStorageCriticality, NONCURRENT_PROTECTION_DAYS, deriveLifecycleRule, describeTiering } from "../../config/cold-storage/lifecycle-derive";
import { ColdLayout } from "../../config/spec";
import { ValidateLifecycleOptions, validateLifecycle, validateLifecycleConfiguration } from "../../contracts/s3-lifecycle/lifecycle-validate";
import {
    ALLOWED_TRANSITIONS,
    MIN_STORAGE_DAYS,
    StorageClass,
    TRANSITION_CLASSES,
    TransitionClass,
    canTransition,
} from "../../contracts/s3-lifecycle/storage-classes";

const rule = (fields: Partial<LifecycleRule> = {}): LifecycleRule => ({ id: "r", status: "Enabled", filter: { prefix: "backups/pg/" }, ...fields });
const t = (days: number, storageClass: string) => ({ days, storageClass });
const nt = (noncurrentDays: number, storageClass: string) => ({ noncurrentDays, storageClass });
const manyRules = (n: number) => Array.from({ length: n }, (_, i) => rule({ id: `r${i}`, expiration: { days: 30 } }));
const keys = (rules: readonly LifecycleRule[], opts?: ValidateLifecycleOptions) => validateLifecycle(rules, opts).map((p) => p.key);
const CRITICALITIES: ColdStorageCriticality[] = ["critical", "moderate", "low"];
const LAYOUTS: ColdLayout[] = ["per-backup", "mirror"];

interface Case {
    name: string;
    fail: LifecycleRule[];
    key: string;
    pass: LifecycleRule[];
    opts?: ValidateLifecycleOptions;
    says?: RegExp;
}

// Each case: a configuration with exactly one mistake, and the closest one without it.
const S3_REJECTIONS: Case[] = [
    {
        name: "STANDARD_IA before 30 days",
        fail: [rule({ transitions: [t(29, "STANDARD_IA")], expiration: { days: 120 } })],
        key: "rules[0].transitions[0].days",
        pass: [rule({ transitions: [t(30, "STANDARD_IA")], expiration: { days: 120 } })],
    },
    {
        name: "ONEZONE_IA before 30 days",
        fail: [rule({ transitions: [t(1, "ONEZONE_IA")], expiration: { days: 120 } })],
        key: "rules[0].transitions[0].days",
        pass: [rule({ transitions: [t(31, "ONEZONE_IA")], expiration: { days: 120 } })],
    },
    {
        name: "GLACIER < 30 days after STANDARD_IA",
        fail: [rule({ transitions: [t(30, "STANDARD_IA"), t(59, "GLACIER")], expiration: { days: 200 } })],
        key: "rules[0].transitions[1].days",
        pass: [rule({ transitions: [t(30, "STANDARD_IA"), t(60, "GLACIER")], expiration: { days: 200 } })],
    },
    {
        name: "DEEP_ARCHIVE < 30 days after ONEZONE_IA",
        fail: [rule({ transitions: [t(30, "ONEZONE_IA"), t(45, "DEEP_ARCHIVE")], expiration: { days: 400 } })],
        key: "rules[0].transitions[1].days",
        pass: [rule({ transitions: [t(30, "ONEZONE_IA"), t(60, "DEEP_ARCHIVE")], expiration: { days: 400 } })],
    },
    {
        name: "ONEZONE_IA < 30 days after STANDARD_IA",
        fail: [rule({ transitions: [t(30, "STANDARD_IA"), t(40, "ONEZONE_IA")], expiration: { days: 200 } })],
        key: "rules[0].transitions[1].days",
        pass: [rule({ transitions: [t(30, "STANDARD_IA"), t(60, "ONEZONE_IA")], expiration: { days: 200 } })],
    },
    {
        name: "expiration on the day of a transition",
        fail: [rule({ transitions: [t(90, "GLACIER")], expiration: { days: 90 } })],
        key: "rules[0].expiration.days",
        pass: [rule({ transitions: [t(90, "GLACIER")], expiration: { days: 180 } })],
    },
    {
        name: "expiration before a transition",
        fail: [rule({ transitions: [t(0, "GLACIER_IR"), t(300, "DEEP_ARCHIVE")], expiration: { days: 200 } })],
        key: "rules[0].expiration.days",
        pass: [rule({ transitions: [t(0, "GLACIER_IR"), t(100, "DEEP_ARCHIVE")], expiration: { days: 300 } })],
    },
    {
        name: "the same class twice",
        fail: [rule({ transitions: [t(0, "GLACIER"), t(100, "GLACIER")], expiration: { days: 300 } })],
        key: "rules[0].transitions[1].storageClass",
        pass: [rule({ transitions: [t(0, "GLACIER_IR"), t(100, "GLACIER")], expiration: { days: 300 } })],
    },
    {
        name: "GLACIER → STANDARD_IA (against the waterfall)",
        fail: [rule({ transitions: [t(0, "GLACIER"), t(100, "STANDARD_IA")], expiration: { days: 300 } })],
        key: "rules[0].transitions[1].storageClass",
        pass: [rule({ transitions: [t(0, "GLACIER"), t(100, "DEEP_ARCHIVE")], expiration: { days: 300 } })],
    },
    { name: "more than 1,000 rules", fail: manyRules(1001), key: "rules", pass: manyRules(1000) },
    {
        name: "an id over 255 characters",
        fail: [rule({ id: "x".repeat(256), expiration: { days: 30 } })],
        key: "rules[0].id",
        pass: [rule({ id: "x".repeat(255), expiration: { days: 30 } })],
    },
    {
        name: "a duplicated id",
        fail: [rule({ id: "a", expiration: { days: 30 } }), rule({ id: "a", expiration: { days: 60 } })],
        key: "rules[1].id",
        pass: [rule({ id: "a", expiration: { days: 30 } }), rule({ id: "b", expiration: { days: 60 } })],
    },
    {
        name: "abortIncompleteMultipartUpload with filter.tag",
        fail: [rule({ filter: { tag: { key: "k", value: "v" } }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })],
        key: "rules[0].abortIncompleteMultipartUpload",
        pass: [rule({ abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })],
    },
    {
        name: "abortIncompleteMultipartUpload with filter.and.tags",
        fail: [rule({ filter: { and: { prefix: "a/", tags: { k: "v" } } }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })],
        key: "rules[0].abortIncompleteMultipartUpload",
        pass: [rule({ filter: { and: { prefix: "a/", objectSizeGreaterThan: 1 } }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })],
    },
    {
        name: "noncurrent STANDARD_IA before 30 days",
        fail: [rule({ noncurrentVersionTransitions: [nt(10, "STANDARD_IA")], noncurrentVersionExpiration: { noncurrentDays: 100 } })],
        key: "rules[0].noncurrentVersionTransitions[0].noncurrentDays",
        pass: [rule({ noncurrentVersionTransitions: [nt(30, "STANDARD_IA")], noncurrentVersionExpiration: { noncurrentDays: 100 } })],
    },
    {
        name: "noncurrent GLACIER < 30 days after noncurrent STANDARD_IA",
        fail: [rule({ noncurrentVersionTransitions: [nt(30, "STANDARD_IA"), nt(50, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 200 } })],
        key: "rules[0].noncurrentVersionTransitions[1].noncurrentDays",
        pass: [rule({ noncurrentVersionTransitions: [nt(30, "STANDARD_IA"), nt(60, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 200 } })],
    },
    {
        name: "noncurrent expiration not after noncurrent transitions",
        fail: [rule({ noncurrentVersionTransitions: [nt(90, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 60 } })],
        key: "rules[0].noncurrentVersionExpiration.noncurrentDays",
        pass: [rule({ noncurrentVersionTransitions: [nt(90, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 180 } })],
    },
    {
        name: "noncurrent class twice",
        fail: [rule({ noncurrentVersionTransitions: [nt(0, "GLACIER"), nt(100, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 300 } })],
        key: "rules[0].noncurrentVersionTransitions[1].storageClass",
        pass: [rule({ noncurrentVersionTransitions: [nt(0, "GLACIER"), nt(100, "DEEP_ARCHIVE")], noncurrentVersionExpiration: { noncurrentDays: 300 } })],
    },
    {
        name: "noncurrent DEEP_ARCHIVE → GLACIER",
        fail: [rule({ noncurrentVersionTransitions: [nt(0, "DEEP_ARCHIVE"), nt(200, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 400 } })],
        key: "rules[0].noncurrentVersionTransitions[1].storageClass",
        pass: [rule({ noncurrentVersionTransitions: [nt(0, "GLACIER"), nt(200, "DEEP_ARCHIVE")], noncurrentVersionExpiration: { noncurrentDays: 400 } })],
    },
    {
        name: "a status other than Enabled/Disabled",
        fail: [rule({ status: "enabled", expiration: { days: 30 } })],
        key: "rules[0].status",
        pass: [rule({ status: "Disabled", expiration: { days: 30 } })],
    },
    { name: "a rule without any action", fail: [rule()], key: "rules[0]", pass: [rule({ expiration: { days: 30 } })] },
    {
        name: "expiredObjectDeleteMarker with days",
        fail: [rule({ expiration: { days: 30, expiredObjectDeleteMarker: true } })],
        key: "rules[0].expiration.expiredObjectDeleteMarker",
        pass: [rule({ expiration: { expiredObjectDeleteMarker: true } })],
    },
    {
        name: "days and dates mixed in a rule",
        fail: [rule({ transitions: [{ date: "2027-01-01", storageClass: "GLACIER" }], expiration: { days: 400 } })],
        key: "rules[0].expiration.days",
        says: /mixes days and dates/,
        pass: [rule({ transitions: [{ date: "2027-01-01", storageClass: "GLACIER" }], expiration: { date: "2027-06-01" } })],
    },
    {
        name: "days and date on one transition",
        fail: [rule({ transitions: [{ days: 0, date: "2027-01-01", storageClass: "GLACIER" }], expiration: { days: 400 } })],
        key: "rules[0].transitions[0].date",
        pass: [rule({ transitions: [{ days: 0, storageClass: "GLACIER" }], expiration: { days: 400 } })],
    },
    {
        name: "fractional days",
        fail: [rule({ transitions: [t(1.5, "GLACIER")], expiration: { days: 400 } })],
        key: "rules[0].transitions[0].days",
        pass: [rule({ transitions: [t(1, "GLACIER")], expiration: { days: 400 } })],
    },
    {
        name: "a transition back to STANDARD",
        fail: [rule({ transitions: [t(30, "STANDARD")], expiration: { days: 400 } })],
        key: "rules[0].transitions[0].storageClass",
        pass: [rule({ transitions: [t(30, "STANDARD_IA")], expiration: { days: 400 } })],
    },
    {
        name: "more than 100 newer noncurrent versions",
        fail: [rule({ noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: 101 } })],
        key: "rules[0].noncurrentVersionExpiration.newerNoncurrentVersions",
        pass: [rule({ noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: 100 } })],
    },
];

const COSTLY: Case[] = [
    {
        name: "expiring DEEP_ARCHIVE before 180 days",
        fail: [rule({ transitions: [t(180, "DEEP_ARCHIVE")], expiration: { days: 359 } })],
        key: "rules[0].expiration.days",
        pass: [rule({ transitions: [t(180, "DEEP_ARCHIVE")], expiration: { days: 360 } })],
    },
    {
        name: "expiring STANDARD_IA before 30 days",
        fail: [rule({ transitions: [t(30, "STANDARD_IA")], expiration: { days: 59 } })],
        key: "rules[0].expiration.days",
        pass: [rule({ transitions: [t(30, "STANDARD_IA")], expiration: { days: 60 } })],
    },
    {
        name: "leaving GLACIER_IR before 90 days",
        fail: [rule({ transitions: [t(0, "GLACIER_IR"), t(89, "DEEP_ARCHIVE")], expiration: { days: 300 } })],
        key: "rules[0].transitions[1].days",
        pass: [rule({ transitions: [t(0, "GLACIER_IR"), t(90, "DEEP_ARCHIVE")], expiration: { days: 300 } })],
    },
    // AWS documents the 30-day IA gap for GLACIER and DEEP_ARCHIVE only: GLACIER_IR is billed, not rejected.
    {
        name: "GLACIER_IR < 30 days after STANDARD_IA",
        fail: [rule({ transitions: [t(30, "STANDARD_IA"), t(59, "GLACIER_IR")], expiration: { days: 200 } })],
        key: "rules[0].transitions[1].days",
        says: /STANDARD_IA bills at least 30 days/,
        pass: [rule({ transitions: [t(30, "STANDARD_IA"), t(60, "GLACIER_IR")], expiration: { days: 200 } })],
    },
    {
        name: "expiring noncurrent GLACIER before 90 days",
        fail: [rule({ noncurrentVersionTransitions: [nt(30, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 119 } })],
        key: "rules[0].noncurrentVersionExpiration.noncurrentDays",
        pass: [rule({ noncurrentVersionTransitions: [nt(30, "GLACIER")], noncurrentVersionExpiration: { noncurrentDays: 120 } })],
    },
    {
        name: "Object Lock retention longer than expiration",
        opts: { objectLockDays: 400 },
        fail: [rule({ expiration: { days: 399 } })],
        key: "rules[0].expiration.days",
        pass: [rule({ expiration: { days: 400 } })],
    },
    {
        name: "a prefix covering a Velero repository",
        opts: { repositoryPrefixes: ["backups/velero/"] },
        fail: [rule({ filter: { prefix: "backups/" }, transitions: [t(0, "GLACIER")], expiration: { days: 100 } })],
        key: "rules[0].filter.prefix",
        pass: [rule({ filter: { prefix: "backups/pg/" }, transitions: [t(0, "GLACIER")], expiration: { days: 100 } })],
    },
    {
        name: "a whole-bucket rule over a kopia repository",
        opts: { repositoryPrefixes: ["kopia/"] },
        fail: [rule({ filter: {}, expiration: { days: 100 } })],
        key: "rules[0].filter",
        pass: [rule({ filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })],
    },
    {
        name: "a rule inside a restic repository",
        opts: { repositoryPrefixes: ["restic/"] },
        fail: [rule({ filter: { and: { prefix: "restic/data/", objectSizeGreaterThan: 1 } }, expiration: { days: 100 } })],
        key: "rules[0].filter.and.prefix",
        pass: [rule({ filter: { and: { prefix: "restic-notes/", objectSizeGreaterThan: 1 } }, expiration: { days: 100 } })],
    },
];

const INSTRUCTION = /\b(write|remove|add|move|drop)\b/;
const SUGGESTION = /write (days|noncurrentDays): (\d+) or more/;

/** A copy of `rules` with the value at a problem key (`rules[0].transitions[1].days`) replaced. */
function setPath(rules: LifecycleRule[], key: string, value: unknown): LifecycleRule[] {
    const root: Record<string, unknown> = { rules: structuredClone(rules) };
    const path = key.split(/[.[\]]+/).filter(Boolean);
    const parent = path.slice(0, -1).reduce<Record<string, unknown>>((node, part) => node[part] as Record<string, unknown>, root);
    parent[path[path.length - 1]] = value;
    return root.rules as LifecycleRule[];
}

describe("cold-storage lifecycle validation", () => {
    for (const [family, cases] of [
        ["S3 rejects", S3_REJECTIONS],
        ["costly", COSTLY],
    ] as const) {
        describe(family, () => {
            for (const c of cases) {
                it(`flags ${c.name}`, () => {
                    const problems = validateLifecycle(c.fail, c.opts);
                    assert.deepEqual(
                        problems.map((p) => p.key),
                        [c.key],
                        JSON.stringify(problems, null, 1),
                    );
                    assert.match(problems[0].message, INSTRUCTION);
                    // One problem type (contracts/problem.ts): a key and what to write, every problem an error.
                    assert.deepEqual(Object.keys(problems[0]).sort(), ["key", "message"]);
                    if (c.says) assert.match(problems[0].message, c.says);
                    // What S3 refuses says so; what it accepts says what it costs or breaks.
                    if (family === "S3 rejects") assert.match(problems[0].message, /\bS3\b/);
                    else {
                        assert.match(problems[0].message, /\b(bill|billed|bills|corrupts)\b/);
                        assert.doesNotMatch(problems[0].message, /S3 (rejects|only|needs)/);
                    }
                });
                it(`accepts the fixed version of ${c.name}`, () => assert.deepEqual(validateLifecycle(c.pass, c.opts), []));
                const suggested = SUGGESTION.exec(validateLifecycle(c.fail, c.opts)[0]?.message ?? "");
                if (suggested !== null && c.key.endsWith(`.${suggested[1]}`)) {
                    it(`accepts the value its message suggests for ${c.name}`, () => {
                        assert.deepEqual(validateLifecycle(setPath(c.fail, c.key, Number(suggested[2])), c.opts), []);
                    });
                }
            }
        });
    }

    it("skips the costly checks for Disabled rules, not what S3 rejects", () => {
        const lock = { objectLockDays: 400, repositoryPrefixes: [""] };
        assert.deepEqual(keys([rule({ status: "Disabled", transitions: [t(180, "DEEP_ARCHIVE")], expiration: { days: 200 } })], lock), []);
        assert.deepEqual(keys([rule({ status: "Disabled", transitions: [t(10, "STANDARD_IA")], expiration: { days: 200 } })]), [
            "rules[0].transitions[0].days",
        ]);
    });

    it("checks resource inputs as the policy pack passes them, rules and transitionDefaultMinimumObjectSize", () => {
        const rules = [rule({ transitions: [t(10, "STANDARD_IA")], expiration: { days: 120 } })];
        assert.deepEqual(
            validateLifecycleConfiguration({ rules, transitionDefaultMinimumObjectSize: "128K" }).map((p) => p.key),
            ["rules[0].transitions[0].days", "transitionDefaultMinimumObjectSize"],
        );
        assert.deepEqual(
            validateLifecycleConfiguration({ rules: [rule({ expiration: { days: 30 } })], transitionDefaultMinimumObjectSize: "varies_by_storage_class" }),
            [],
        );
        assert.deepEqual(validateLifecycleConfiguration({}), []);
    });

    it("follows the waterfall of DESIGN.md exactly", () => {
        const design: Record<StorageClass, string[]> = {
            STANDARD: ["STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
            STANDARD_IA: ["INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
            INTELLIGENT_TIERING: ["ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
            ONEZONE_IA: ["GLACIER", "DEEP_ARCHIVE"],
            GLACIER_IR: ["GLACIER", "DEEP_ARCHIVE"],
            GLACIER: ["DEEP_ARCHIVE"],
            DEEP_ARCHIVE: [],
        };
        for (const from of TRANSITION_CLASSES) {
            assert.deepEqual([...ALLOWED_TRANSITIONS[from]].sort(), [...design[from]].sort(), from);
            for (const to of TRANSITION_CLASSES.filter((c) => c !== from)) {
                const at = 30 + gapAfter(from);
                const rules = [rule({ transitions: [t(30, from), t(at, to)], expiration: { days: at + gapAfter(to) } })];
                assert.deepEqual(keys(rules), design[from].includes(to) ? [] : ["rules[0].transitions[1].storageClass"], `${from} → ${to}`);
            }
        }
    });
});

describe("cold-storage lifecycle derivation", () => {
    const derive = (criticality: ColdStorageCriticality, retentionDays: number, layout?: ColdLayout) =>
        deriveLifecycleRule({ element: "postgresql", prefix: "postgresql/", criticality, retentionDays, layout });

    it("describes the critical default the way the posture table shows it, with what stays after the expiration", () => {
        assert.equal(
            describeTiering(derive("critical", 365)),
            "STANDARD → STANDARD_IA 30 d → GLACIER_IR 90 d → DEEP_ARCHIVE 180 d, expire 365 d (noncurrent versions: 30 d more)",
        );
        assert.equal(describeTiering(derive("low", 90, "mirror")), "STANDARD → STANDARD_IA 30 d, expire 90 d (noncurrent versions: 90 d more)");
        assert.equal(
            describeTiering(rule({ transitions: [{ date: "2027-01-01", storageClass: "GLACIER" }] })),
            "STANDARD → GLACIER on 2027-01-01, never expires",
        );
    });

    it("filters by prefix, expires at retention and aborts uploads after 7 days", () => {
        const r = derive("moderate", 180);
        assert.deepEqual(r.filter, { prefix: "postgresql/" });
        assert.deepEqual(r.expiration, { days: 180 });
        assert.deepEqual(r.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
    });

    // Issue 13 item 8: "kept 1095 d" while expired dumps stayed another 1095 days as noncurrent versions.
    it("keeps an expired per-backup version only the protection window, where it is; a mirror's history for the retention", () => {
        for (const retentionDays of [2, 365, 1095]) {
            const dumps = derive("critical", retentionDays);
            assert.deepEqual(dumps.noncurrentVersionExpiration, { noncurrentDays: NONCURRENT_PROTECTION_DAYS }, `${retentionDays}`);
            assert.deepEqual(dumps.noncurrentVersionTransitions, []);
        }
        assert.equal(NONCURRENT_PROTECTION_DAYS, 30);
        const mirror = derive("moderate", 180, "mirror");
        assert.deepEqual(mirror.noncurrentVersionExpiration, { noncurrentDays: 180 });
        assert.deepEqual(
            mirror.noncurrentVersionTransitions,
            mirror.transitions?.map((x) => ({ noncurrentDays: x.days, storageClass: x.storageClass })),
        );
    });

    it("uses the configured tiering, trimmed to the retention", () => {
        const tiering = [
            { storageClass: "DEEP_ARCHIVE", afterDays: 100 },
            { storageClass: "GLACIER_IR", afterDays: 0 },
        ];
        const spec = { element: "s3", prefix: "s3/", criticality: "low" as const, tiering };
        assert.deepEqual(deriveLifecycleRule({ ...spec, retentionDays: 400 }).transitions, [t(0, "GLACIER_IR"), t(100, "DEEP_ARCHIVE")]);
        assert.deepEqual(deriveLifecycleRule({ ...spec, retentionDays: 200 }).transitions, [t(0, "GLACIER_IR")]);
        assert.throws(() => deriveLifecycleRule({ ...spec, retentionDays: 0 }), RangeError);
    });

    it("produces rules that validate clean, keep every class its minimum and lose tiers as retention shrinks", () => {
        const retention = fc.integer({ min: 1, max: 3650 });
        fc.assert(
            fc.property(fc.constantFrom(...CRITICALITIES), fc.constantFrom(...LAYOUTS), retention, retention, (criticality, layout, a, b) => {
                const [shorter, longer] = [derive(criticality, Math.min(a, b), layout), derive(criticality, Math.max(a, b), layout)];
                assert.deepEqual(validateLifecycle([longer]), []);
                assert.deepEqual(validateLifecycle([shorter, { ...longer, id: "other" }]), []);
                const steps = longer.transitions ?? [];
                steps.forEach((step, i) => {
                    const leaves = steps[i + 1]?.days ?? longer.expiration!.days!;
                    assert.ok(leaves - step.days! >= MIN_STORAGE_DAYS[step.storageClass as TransitionClass]);
                });
                assert.ok((shorter.transitions ?? []).length <= steps.length);
            }),
        );
    });
});

describe("cold-storage lifecycle validation on generated rule sets", () => {
    it("never throws, whatever the input", () => {
        const ruleLike = fc.record(
            {
                id: fc.anything(),
                status: fc.anything(),
                filter: fc.anything(),
                transitions: fc.anything(),
                expiration: fc.anything(),
                noncurrentVersionTransitions: fc.anything(),
                noncurrentVersionExpiration: fc.anything(),
                abortIncompleteMultipartUpload: fc.anything(),
            },
            { requiredKeys: [] },
        );
        fc.assert(
            fc.property(fc.oneof(fc.anything(), fc.array(ruleLike), fc.array(fc.anything())), (input) => {
                for (const p of validateLifecycle(input as LifecycleRule[], { objectLockDays: 90, repositoryPrefixes: ["kopia/"] }))
                    assert.equal(typeof p.key, "string");
            }),
        );
    });

    it("flags exactly the known-bad generated rules", () => {
        fc.assert(
            fc.property(fc.array(GENERATED_RULE, { maxLength: 12 }), (generated) => {
                const rules = generated.reduce<LifecycleRule[]>((built, g, i) => {
                    const id = g.duplicateId && i > 0 ? built[0].id : g.rule.id ? `${g.rule.id}-${i}` : `rule-${i}`;
                    return [...built, { ...g.rule, id, filter: g.rule.filter ?? { prefix: `p${i}/` } }];
                }, []);
                const expected = generated.flatMap((g, i) =>
                    [...g.expected, ...(g.duplicateId && i > 0 ? ["id"] : [])].map((suffix) => (suffix ? `rules[${i}].${suffix}` : `rules[${i}]`)),
                );
                assert.deepEqual(uniqueSorted(validateLifecycle(rules).map((p) => p.key)), uniqueSorted(expected));
            }),
            { numRuns: 300 },
        );
    });
});

const uniqueSorted = (values: string[]) => [...new Set(values)].sort();

interface Generated {
    rule: LifecycleRule;
    expected: string[];
    duplicateId?: boolean;
}
/** A timeline with one known defect, rendered as current or noncurrent actions. */
interface TimelineCase {
    steps: [number, string][];
    end: number;
    defect?: "step1" | "class1" | "step0" | "end";
}

const day = (min: number, max: number) => fc.integer({ min, max });
const gapAfter = (c: string) => Math.max(1, MIN_STORAGE_DAYS[c as StorageClass]);
const IA = ["STANDARD_IA", "ONEZONE_IA"];
const NOT_IA = TRANSITION_CLASSES.filter((c) => !IA.includes(c));
const DISALLOWED = TRANSITION_CLASSES.flatMap((from) =>
    TRANSITION_CLASSES.filter((to) => to !== from && !canTransition(from, to)).map((to) => [from, to] as const),
);
// Allowed moves S3 accepts at any gap, so a short gap is only a billing problem.
const EARLY_EXIT: [string, string][] = [
    ["GLACIER_IR", "GLACIER"],
    ["GLACIER_IR", "DEEP_ARCHIVE"],
    ["GLACIER", "DEEP_ARCHIVE"],
    ["STANDARD_IA", "GLACIER_IR"],
    ["STANDARD_IA", "INTELLIGENT_TIERING"],
];

/** Accepted by S3 but deleted before the last class's minimum duration. */
const EARLY_EXPIRY: fc.Arbitrary<TimelineCase> = fc
    .tuple(fc.constantFrom("STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"), day(30, 200))
    .chain(([c, a]) => day(1, MIN_STORAGE_DAYS[c as StorageClass] - 1).map((k): TimelineCase => ({ steps: [[a, c]], end: a + k, defect: "end" })));

const TIMELINE_CASES: fc.Arbitrary<TimelineCase> = fc.oneof(
    fc.tuple(fc.constantFrom(...IA), day(0, 29), day(0, 300)).map(([c, d, k]): TimelineCase => ({ steps: [[d, c]], end: d + 30 + k, defect: "step0" })),
    fc
        .tuple(fc.constantFrom(...IA), fc.constantFrom("GLACIER", "DEEP_ARCHIVE", "ONEZONE_IA"), day(30, 200), day(0, 29), day(0, 300))
        .filter(([ia, target]) => ia !== target)
        .map(([ia, target, a, g, k]): TimelineCase => ({
            steps: [
                [a, ia],
                [a + g, target],
            ],
            end: a + g + gapAfter(target) + k,
            defect: "step1",
        })),
    fc.tuple(fc.constantFrom(...NOT_IA), day(1, 400)).chain(([c, d]) => day(1, d).map((e): TimelineCase => ({ steps: [[d, c]], end: e, defect: "end" }))),
    fc.tuple(fc.constantFrom(...TRANSITION_CLASSES), day(30, 200), day(0, 200), day(0, 300)).map(([c, a, b, k]): TimelineCase => ({
        steps: [
            [a, c],
            [a + gapAfter(c) + b, c],
        ],
        end: a + 2 * gapAfter(c) + b + k,
        defect: "class1",
    })),
    fc.tuple(fc.constantFrom(...DISALLOWED), day(30, 200), day(0, 100), day(0, 300)).map(([[from, to], a, b, k]): TimelineCase => ({
        steps: [
            [a, from],
            [a + gapAfter(from) + b, to],
        ],
        end: a + gapAfter(from) + b + gapAfter(to) + k,
        defect: "class1",
    })),
    EARLY_EXPIRY,
    fc.tuple(fc.constantFrom(...EARLY_EXIT), day(30, 200), day(0, 300)).chain(([[from, to], a, c]) =>
        day(0, MIN_STORAGE_DAYS[from as StorageClass] - 1).map((k): TimelineCase => ({
            steps: [
                [a, from],
                [a + k, to],
            ],
            end: a + k + gapAfter(to) + c,
            defect: "step1",
        })),
    ),
);

function render(tc: TimelineCase, noncurrent: boolean): Generated {
    const [list, field, end] = noncurrent
        ? ["noncurrentVersionTransitions", "noncurrentDays", "noncurrentVersionExpiration.noncurrentDays"]
        : ["transitions", "days", "expiration.days"];
    const steps = tc.steps.map(([at, storageClass]) => ({ [field]: at, storageClass }));
    const expiration = noncurrent ? { noncurrentVersionExpiration: { noncurrentDays: tc.end } } : { expiration: { days: tc.end } };
    const defectKey = { step0: `${list}[0].${field}`, step1: `${list}[1].${field}`, class1: `${list}[1].storageClass`, end }[tc.defect!];
    return { rule: { id: "", status: "Enabled", [list]: steps, ...expiration } as unknown as LifecycleRule, expected: tc.defect ? [defectKey] : [] };
}

const generated = (rule: LifecycleRule, expected: string[], duplicateId = false): Generated => ({ rule, expected, duplicateId });

const GENERATED_RULE: fc.Arbitrary<Generated> = fc.oneof(
    fc
        .tuple(fc.constantFrom(...CRITICALITIES), day(1, 3650))
        .map(([criticality, retentionDays]) =>
            generated({ ...deriveLifecycleRule({ element: "e", prefix: "e/", criticality, retentionDays }), id: "", filter: undefined }, []),
        ),
    fc.tuple(TIMELINE_CASES, fc.boolean()).map(([tc, noncurrent]) => render(tc, noncurrent)),
    // A Disabled rule keeps its S3 rejections but not its billing problems.
    EARLY_EXPIRY.map((tc) => generated({ ...render(tc, false).rule, status: "Disabled" }, [])),
    day(256, 400).map((n) => generated({ id: "x".repeat(n), status: "Enabled", expiration: { days: 30 } }, ["id"])),
    fc.constant(generated({ id: "", status: "Enabled", expiration: { days: 30 } }, [], true)),
    fc
        .constantFrom<LifecycleFilter>({ tag: { key: "k", value: "v" } }, { and: { prefix: "t/", tags: { k: "v" } } })
        .map((filter) =>
            generated({ id: "", status: "Enabled", filter, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }, ["abortIncompleteMultipartUpload"]),
        ),
    fc.constantFrom("enabled", "ENABLED", "On", "").map((status) => generated({ id: "", status, expiration: { days: 30 } }, ["status"])),
    fc.constant(generated({ id: "", status: "Enabled" }, [""])),
    day(1, 400).map((days) =>
        generated({ id: "", status: "Enabled", expiration: { days, expiredObjectDeleteMarker: true } }, ["expiration.expiredObjectDeleteMarker"]),
    ),
);
