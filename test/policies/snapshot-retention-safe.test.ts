import { strict as assert } from "node:assert";
import fc from "fast-check";
import { isSnapschedulerDuration, parseGoDuration } from "../../policies/lib/go-duration";
import { UNKNOWN_SENTINEL, PlanResource } from "../../contracts/preview";
import { snapshotRetentionSafe } from "../../policies/rules/snapshot-retention-safe";

const TYPE = "kubernetes:snapscheduler.backube/v1:SnapshotSchedule";
function schedule(spec: Record<string, unknown>, name = "qalita-dr-s3"): PlanResource {
    return { urn: `urn:pulumi:dev::qalita-dr::${TYPE}::${name}`, type: TYPE, props: { metadata: { name, namespace: "qalita" }, spec } };
}
const weekly = (retention: Record<string, unknown> | undefined) => schedule({ schedule: "0 3 * * 0", ...(retention ? { retention } : {}) });
const messages = (resource: PlanResource) => snapshotRetentionSafe.check([resource]).map((v) => v.message);

describe("policy snapshot-retention-safe", () => {
    it("passes schedules keeping at least two snapshots by count and by age", () => {
        assert.deepEqual(
            snapshotRetentionSafe.check([
                weekly({ expires: "4320h", maxCount: 27 }),
                weekly({ expires: "336h", maxCount: 2 }),
                schedule({ schedule: "@hourly", retention: { expires: "120m", maxCount: 3 } }, "hourly"),
            ]),
            [],
        );
    });

    it("fails maxCount below 2 or missing, naming the schedule and the upstream issue", () => {
        const [violation] = snapshotRetentionSafe.check([weekly({ expires: "4320h", maxCount: 1 })]);
        assert.match(violation.urn!, /SnapshotSchedule::qalita-dr-s3$/);
        assert.match(violation.message, /^SnapshotSchedule qalita-dr-s3: retention\.maxCount 1 keeps fewer than 2 snapshots.*#688/);
        assert.match(messages(weekly({ expires: "4320h" }))[0], /maxCount is not set/);
    });

    it("fails expires shorter than two of the schedule's longest gaps, or missing", () => {
        assert.match(messages(weekly({ expires: "335h", maxCount: 5 }))[0], /shorter than two of the schedule's longest gaps \(168 h\).*"336h"/);
        assert.match(messages(weekly({ maxCount: 5 }))[0], /expires is not set/);
        assert.equal(messages(weekly(undefined)).length, 2);
    });

    it("refuses what the CRD or snapscheduler cannot take: maxCount beyond int32, expires beyond Go's longest duration", () => {
        // What retentionDays: 99999999999 rendered on a weekly schedule before the config bounded it.
        const [count, expires, ...others] = messages(weekly({ expires: "2399999999976h", maxCount: 14285714287 }));
        assert.deepEqual(others, []);
        assert.match(
            count,
            /retention\.maxCount 14285714287 is beyond the CRD's int32 field \(at most 2147483647\).*write a whole number from 2 to 2147483647/,
        );
        assert.match(expires, /retention\.expires: "2399999999976h" is longer than Go's longest duration \(2562047h.*write at most "2562047h"/);
        assert.deepEqual(messages(weekly({ expires: "2562047h", maxCount: 2147483647 })), []);
        assert.match(messages(weekly({ expires: "2562048h", maxCount: 3 }))[0], /longer than Go's longest duration/);
    });

    it("reads any Go duration, and says when snapscheduler's CRD would refuse its form", () => {
        assert.deepEqual(messages(schedule({ schedule: "*/30 * * * *", retention: { expires: "1h30m", maxCount: 4 } })), [
            'SnapshotSchedule qalita-dr-s3: retention.expires "1h30m" is a Go duration, but snapscheduler\'s CRD only accepts one whole-number unit (^\\d+(h|m|s)$); write it as 90m or in whole hours',
        ]);
        assert.match(messages(weekly({ expires: "two weeks", maxCount: 3 }))[0], /is not a Go duration/);
        assert.match(messages(weekly({ expires: 336, maxCount: 3 }))[0], /is not a Go duration string/);
    });

    it("reports a broken cron and values unknown during preview instead of passing them", () => {
        assert.match(messages(schedule({ schedule: "0 3 * *", retention: { expires: "336h", maxCount: 3 } }))[0], /spec\.schedule: .*has 4 fields/);
        assert.match(messages(weekly({ expires: UNKNOWN_SENTINEL, maxCount: 3 }))[0], /expires is unknown during preview/);
        assert.match(messages(weekly({ expires: "336h", maxCount: UNKNOWN_SENTINEL }))[0], /maxCount is unknown during preview/);
    });
});

describe("Go durations", () => {
    const UNITS: [string, number][] = [
        ["h", 3600],
        ["m", 60],
        ["s", 1],
        ["ms", 1e-3],
        ["us", 1e-6],
        ["µs", 1e-6],
        ["ns", 1e-9],
    ];

    it("parse as the sum of their components, in any order and with fractions", () => {
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...UNITS), fc.boolean()), { minLength: 1, maxLength: 5 }),
                (parts) => {
                    const text = parts.map(([n, [unit], half]) => `${n}${half ? ".5" : ""}${unit}`).join("");
                    const expected = parts.reduce((sum, [n, [, seconds], half]) => sum + (n + (half ? 0.5 : 0)) * seconds, 0);
                    const parsed = parseGoDuration(text);
                    assert.ok(parsed.ok, text);
                    assert.ok(Math.abs(parsed.seconds - expected) <= 1e-9 * Math.max(1, expected), `${text}: ${parsed.seconds} ≠ ${expected}`);
                },
            ),
        );
        assert.deepEqual(parseGoDuration("720h"), { ok: true, seconds: 720 * 3600 });
        assert.deepEqual(parseGoDuration("-1.5h"), { ok: true, seconds: -5400 });
        assert.deepEqual(parseGoDuration("0"), { ok: true, seconds: 0 });
    });

    it("refuse what Go refuses", () => {
        for (const text of ["", "h", "1", "1x", "1h 30m", "1h-30m", "+", "1d", ".h"]) assert.equal(parseGoDuration(text).ok, false, JSON.stringify(text));
    });

    it("match snapscheduler's CRD pattern only in its one-unit form", () => {
        fc.assert(fc.property(fc.nat(), fc.constantFrom("h", "m", "s"), (n, unit) => isSnapschedulerDuration(`${n}${unit}`)));
        for (const text of ["1h30m", "1.5h", "90ms", "-1h", "0"]) assert.equal(isSnapschedulerDuration(text), false, text);
    });
});
