// The PostgreSQL offsite copy's schedule and the RPO the posture shows for it, simulated against
// the CronJob controller's real behaviour: a dump may start up to startingDeadlineSeconds late
// and run a while; the copy ships it at its first run after the dump is complete.
import { strict as assert } from "node:assert";
import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import { dumpRpoHours, offsitePollCron, offsiteRpoHours, STARTING_DEADLINE_HOURS } from "../../config/dump-timing";
import { maxIntervalHours } from "../../contracts/schedule";

const HOUR = 3_600_000;

/** The first run of `cron` at or after `at`. */
function nextRun(cron: string, at: number): number {
    return CronExpressionParser.parse(cron, { tz: "UTC", currentDate: new Date(at - 1) })
        .next()
        .getTime();
}

describe("PostgreSQL dump timing", () => {
    const dumpCron = fc
        .record({ minute: fc.integer({ min: 0, max: 59 }), hour: fc.integer({ min: 0, max: 23 }), everyDays: fc.constantFrom(1, 2, 7) })
        .map(({ minute, hour, everyDays }) =>
            everyDays === 7 ? `${minute} ${hour} * * 0` : everyDays === 2 ? `${minute} ${hour} */2 * *` : `${minute} ${hour} * * *`,
        );

    it("copies hourly, half an hour past the dump's minute", () => {
        assert.equal(offsitePollCron("0 2 * * *"), "30 * * * *");
        assert.equal(offsitePollCron("45 23 * * 0"), "15 * * * *");
    });

    it("the offsite RPO holds for a dump that starts as late as the controller allows and runs as long as expected", () => {
        fc.assert(
            fc.property(
                dumpCron,
                fc.integer({ min: 0, max: STARTING_DEADLINE_HOURS * 60 }), // how late the next dump starts
                fc.integer({ min: 1, max: 6 * 60 }), // expected run: dump + upload
                fc.double({ min: 0, max: 1, noNaN: true }), // share of it the dump takes
                fc.integer({ min: 0, max: 400 }), // which day of the year
                (cron, lateMinutes, expectedRunMinutes, dumpShare, day) => {
                    const intervalHours = maxIntervalHours(cron);
                    const previous = nextRun(cron, Date.UTC(2026, 0, 1) + day * 24 * HOUR); // on time
                    const scheduled = nextRun(cron, previous + 60_000);
                    const started = scheduled + lateMinutes * 60_000;
                    const dumped = started + dumpShare * expectedRunMinutes * 60_000;
                    const offsite = nextRun(offsitePollCron(cron), dumped) + (1 - dumpShare) * expectedRunMinutes * 60_000;
                    // Until the new dump is offsite, the newest one there holds data from `previous`.
                    const lossHours = (offsite - previous) / HOUR;
                    assert.ok(
                        lossHours <= offsiteRpoHours(intervalHours, expectedRunMinutes) + 1e-9,
                        `${cron}: ${lossHours.toFixed(2)} h of loss > RPO ${offsiteRpoHours(intervalHours, expectedRunMinutes)} h`,
                    );
                    assert.ok((dumped - previous) / HOUR <= dumpRpoHours(intervalHours, expectedRunMinutes) + 1e-9);
                },
            ),
            { numRuns: 300 },
        );
    });

    it("a copy at a fixed delay after the dump's schedule would break that RPO (the old behaviour)", () => {
        const previous = Date.UTC(2026, 5, 1, 2);
        const dumped = previous + 24 * HOUR + STARTING_DEADLINE_HOURS * HOUR + 30 * 60_000;
        const fixedDelayCopy = nextRun("0 3 * * *", dumped);
        assert.ok((fixedDelayCopy - previous) / HOUR > offsiteRpoHours(24, 60));
    });
});
