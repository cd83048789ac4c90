// Issue 13 item 10: jobs of several schedules starting in the same minute (`@weekly` on s3 and
// agents: both copies and both snapshot runs on Sunday 00:00) are a DR warning with a stagger.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { buildPosture } from "../../components/posture";
import { plannedSchedules } from "../../components/snapshots/plan";
import { scheduleCollisions, weekMinutes, whenWords } from "../../config/schedule-collisions";
import { scheduledJobs } from "../../config/scheduled-jobs";
import { DrSpec } from "../../config/spec";
import { resolveWithWorker } from "../support/config";

const planned = (spec: DrSpec) =>
    plannedSchedules({
        namespace: spec.namespace,
        release: spec.release,
        elements: spec.elements,
        snapshots: spec.snapshots,
        postgresqlDump: spec.postgresqlDump,
    });
const collisionsOf = (raw: Record<string, unknown>) => {
    const spec = resolveWithWorker(raw);
    return scheduleCollisions(scheduledJobs(spec, planned(spec)));
};
const warningsOf = (raw: Record<string, unknown>) => {
    const spec = resolveWithWorker(raw);
    return buildPosture(spec, planned(spec)).warnings.filter((warning) => /start in the same minute/.test(warning.message));
};
const WEEKLY = { elements: { s3: { schedule: "@weekly" }, agents: { schedule: "@weekly" } } };

describe("schedule collisions (config/schedule-collisions.ts)", () => {
    it("warns when @weekly puts s3 and agents on Sunday 00:00, naming every job there and a free minute for agents", () => {
        const warnings = warningsOf(WEEKLY);
        assert.equal(warnings.length, 1);
        assert.equal(warnings[0].element, "agents");
        assert.equal(
            warnings[0].message,
            "the s3 offsite copy, the agents offsite copy, the postgresql-data VolumeSnapshots, the s3 VolumeSnapshots and the agents VolumeSnapshots " +
                "start in the same minute, Sunday 00:00 UTC: their pods compete for CPU, disk and the uplink, so each backup takes longer than planned; " +
                'stagger them — set elements.agents.schedule: "15 0 * * 0"',
        );
        // The suggestion is the fix: nothing starts with it any more.
        assert.deepEqual(warningsOf({ elements: { s3: { schedule: "@weekly" }, agents: { schedule: "15 0 * * 0" } } }), []);
    });

    it("stays quiet on the defaults, where a snapshot run meets a copy but no two pods start together", () => {
        const spec = resolveWithWorker({});
        const jobs = scheduledJobs(spec, planned(spec));
        const sundayThree = jobs.filter((job) => weekMinutes(job.utcCron).includes(3 * 60)).map((job) => job.name);
        assert.deepEqual(sundayThree, [
            "the postgresql-dump VolumeSnapshots",
            "the postgresql-data VolumeSnapshots",
            "the s3 offsite copy",
            "the s3 VolumeSnapshots",
        ]);
        assert.deepEqual(scheduleCollisions(jobs), []);
    });

    it("finds every job the stack schedules: dump, copies, snapshot schedules, drill", () => {
        const spec = resolveWithWorker({});
        assert.deepEqual(
            scheduledJobs(spec, planned(spec)).map((job) => [job.name, job.utcCron, job.runsPod, job.source.key]),
            [
                ["the postgresql dump", "0 2 * * *", true, "elements.postgresql.schedule"],
                ["the postgresql offsite copy", "30 * * * *", true, "elements.postgresql.schedule"],
                ["the postgresql-dump VolumeSnapshots", "0 3 * * *", false, "elements.postgresql.schedule"],
                ["the postgresql-data VolumeSnapshots", "0 * * * *", false, "snapshots.postgresqlData.schedule"],
                ["the s3 offsite copy", "0 3 * * 0", true, "elements.s3.schedule"],
                ["the s3 VolumeSnapshots", "0 3 * * 0", false, "elements.s3.schedule"],
                ["the agents offsite copy", "0 4 * * 0", true, "elements.agents.schedule"],
                ["the agents VolumeSnapshots", "0 4 * * 0", false, "elements.agents.schedule"],
                ["the postgresql restore drill", "0 5 * * 6", true, "drills.postgresql.schedule"],
            ],
        );
    });

    it("keeps the dump where it is and moves the drill; writes the new time in the schedule's own timezone", () => {
        const [drill] = collisionsOf({ drills: { postgresql: { schedule: "0 2 * * 6" } } });
        assert.equal(drill.keeps.key, "elements.postgresql.schedule");
        assert.deepEqual(
            drill.moves.map((move) => [move.source.key, move.cron]),
            [["drills.postgresql.schedule", "15 2 * * 6"]],
        );
        // 02:00 in Kolkata is 20:30 UTC, when PostgreSQL's hourly copy starts: 02:15 there is free.
        const kolkata = warningsOf({ elements: { s3: { schedule: "0 2 * * *", timezone: "Asia/Kolkata" } } });
        assert.equal(kolkata.length, 1);
        assert.match(
            kolkata[0].message,
            /^the postgresql offsite copy, the s3 offsite copy and the s3 VolumeSnapshots start in the same minute, every day at 20:30 UTC/,
        );
        assert.match(kolkata[0].message, /set elements\.s3\.schedule: "15 2 \* \* \*" \(Asia\/Kolkata\)$/);
    });

    it("moves each later schedule to its own free minute", () => {
        const collisions = collisionsOf({ ...WEEKLY, drills: { postgresql: { schedule: "0 0 * * 0" } } });
        assert.equal(collisions.length, 1);
        assert.deepEqual(
            collisions[0].moves.map((move) => [move.source.key, move.cron]),
            [
                ["elements.agents.schedule", "15 0 * * 0"],
                ["drills.postgresql.schedule", "45 0 * * 0"],
            ],
        );
    });

    it("reads runs over a week, and over a year for day-of-month schedules", () => {
        assert.deepEqual(weekMinutes("0 0 * * 0"), [0]);
        assert.equal(weekMinutes("30 * * * *").length, 7 * 24);
        // The 1st of the month falls on every weekday in a year.
        assert.deepEqual(
            weekMinutes("0 5 1 * *"),
            Array.from({ length: 7 }, (_, day) => day * 1440 + 300),
        );
        assert.equal(whenWords([0]), "Sunday 00:00 UTC");
        assert.equal(whenWords([120, 1560]), "Sunday, Monday at 02:00 UTC");
        assert.equal(whenWords([210, 300, 400]), "Sunday 03:30 UTC and 2 more minutes a week");
    });

    it("leaves no collision once every suggestion is applied (generated weekly schedules)", () => {
        const weekly = fc.tuple(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 6)).map(([m, h, d]) => `${m} ${h} * * ${d}`);
        fc.assert(
            fc.property(weekly, weekly, weekly, (s3, agents, drill) => {
                const raw = { elements: { s3: { schedule: s3 }, agents: { schedule: agents } }, drills: { postgresql: { schedule: drill } } };
                const collisions = collisionsOf(raw);
                const moved = Object.fromEntries(collisions.flatMap((c) => c.moves.map((move) => [move.source.key, move.cron!])));
                const fixed = {
                    elements: { s3: { schedule: moved["elements.s3.schedule"] ?? s3 }, agents: { schedule: moved["elements.agents.schedule"] ?? agents } },
                    drills: { postgresql: { schedule: moved["drills.postgresql.schedule"] ?? drill } },
                };
                assert.deepEqual(collisionsOf(fixed), [], JSON.stringify({ raw, fixed }));
            }),
            { numRuns: 40 },
        );
    });
});
