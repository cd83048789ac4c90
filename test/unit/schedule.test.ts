import { strict as assert } from "node:assert";
import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import { maxIntervalHours, parseSchedule } from "../../contracts/schedule";
import { toUtcSchedule } from "../../config/utc-schedule";

describe("schedules", () => {
    it("normalises nicknames and rejects what Kubernetes cron rejects", () => {
        assert.deepEqual(parseSchedule("@daily"), { ok: true, cron: "0 0 * * *" });
        assert.deepEqual(parseSchedule("  0  2 * * * "), { ok: true, cron: "0 2 * * *" });
        for (const bad of ["0 2 * *", "0 0 2 * * *", "61 * * * *", "0 2 L * *", "0 2 * * 1#2", "", "every day"]) {
            assert.equal(parseSchedule(bad).ok, false, bad);
        }
    });

    it("measures the longest gap between runs", () => {
        const cases: [string, number][] = [
            ["0 2 * * *", 24],
            ["@weekly", 168],
            ["0 2 * * 1-5", 72],
            ["0 */6 * * *", 6],
            ["0 1,23 * * *", 22],
            ["*/5 * 1 * *", 720 + 5 / 60],
            ["0 0 1 * *", 31 * 24],
        ];
        for (const [cron, hours] of cases) assert.equal(maxIntervalHours(cron), hours, cron);
        // Less than twice in the horizon: reported as the 400-day horizon itself.
        assert.equal(maxIntervalHours("0 0 29 2 *"), 400 * 24);
    });

    it("equals a brute-force walk over every run (generated schedules)", () => {
        const list = (max: number) => fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 3 }).map((values) => values.join(","));
        fc.assert(
            fc.property(list(59), list(23), fc.option(list(6), { nil: undefined }), (minutes, hours, days) => {
                const cron = `${minutes} ${hours} * * ${days ?? "*"}`;
                const expression = CronExpressionParser.parse(cron, { tz: "UTC", currentDate: new Date(Date.UTC(2026, 0, 1) - 1) });
                let previous = expression.next().getTime();
                let longest = 0;
                for (let i = 0; i < 200; i++) {
                    const next = expression.next().getTime();
                    longest = Math.max(longest, next - previous);
                    previous = next;
                }
                assert.equal(maxIntervalHours(cron), longest / 3_600_000);
            }),
            { numRuns: 60 },
        );
    });

    it("converts local schedules to UTC, firing at the same instants at standard time (generated)", () => {
        // Zones without DST, so "standard time" is the whole year and runs can be compared 1:1.
        const zones = ["Asia/Kolkata", "Asia/Tokyo", "America/Bogota", "Asia/Kathmandu", "Etc/GMT+11"];
        fc.assert(
            fc.property(
                fc.constantFrom(...zones),
                fc.integer({ min: 0, max: 59 }),
                fc.integer({ min: 0, max: 23 }),
                fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
                (zone, minute, hour, day) => {
                    const cron = `${minute} ${hour} * * ${day ?? "*"}`;
                    const converted = toUtcSchedule(cron, zone);
                    assert.ok(converted.ok, JSON.stringify(converted));
                    const start = new Date(Date.UTC(2026, 0, 1));
                    const local = CronExpressionParser.parse(cron, { tz: zone, currentDate: start });
                    const utc = CronExpressionParser.parse(converted.cron, { tz: "UTC", currentDate: start });
                    for (let i = 0; i < 5; i++) assert.equal(utc.next().getTime(), local.next().getTime(), `${cron} in ${zone} → ${converted.cron}`);
                },
            ),
            { numRuns: 80 },
        );
    });

    it("uses standard time for DST zones and refuses what a UTC cron cannot express", () => {
        const paris = toUtcSchedule("0 2 * * *", "Europe/Paris");
        assert.deepEqual(paris, { ok: true, cron: "0 1 * * *", standardOffsetMinutes: 60, dstShiftMinutes: 60 });
        const sunday = toUtcSchedule("30 0 * * 0", "Europe/Paris");
        assert.equal(sunday.ok && sunday.cron, "30 23 * * 6");
        assert.equal(toUtcSchedule("0 0 1 * *", "Europe/Paris").ok, false);
        assert.equal(toUtcSchedule("0 0,12 * * 1", "Europe/Paris").ok, false);
    });
});
