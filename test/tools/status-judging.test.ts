// npm run status, the pure part: each path judged against its budget as its freshness alert would
// judge it (tools/status/freshness.ts), the drill's result (drill-result.ts), and the report over
// the recorded objects of test/fixtures/status/ (report.ts), at a given now.
import { strict as assert } from "node:assert";
import { cronJobState, jobState, snapshotScheduleState } from "../../tools/status/cluster-objects";
import { drillFreshness, drillRtoSeconds, lastDrill } from "../../tools/status/drill-result";
import { formatSeconds } from "../../tools/status/durations";
import { cronJobFreshness, overBudget, snapshotScheduleFreshness } from "../../tools/status/freshness";
import { Observed } from "../../tools/status/observe";
import { statusReport } from "../../tools/status/report";
import { stackPaths } from "../../tools/status/stack-paths";
import { PROJECT_DIR } from "../support/plan-cli";
import { fixture, item, RECORDED_AT, recordedAnswers, STATUS_FIXTURES } from "../support/stand-in-kubectl";

const HOUR = 3600;
const later = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const cronJob = (name = "qalita-postgresql-pgdumpall") => cronJobState(item(recordedAnswers(), "cronjobs.batch", name));
const jobs = () => recordedAnswers()["jobs.batch"].items.map(jobState);
/** The dump as it would be had the recorded night's run failed: its last success the night before. */
const dumpBeforeLastNight = () => ({ ...cronJob(), lastSuccessfulTime: new Date("2026-03-13T02:07:30Z") });
const dumpWatch = { kind: "CronJob" as const, namespace: "qalita", name: "qalita-postgresql-pgdumpall" };
const snapshotWatch = { kind: "SnapshotSchedule" as const, namespace: "qalita", name: "qalita-dr-postgresql-data" };

describe("npm run status: judging a path against its budget (tools/status/freshness.ts)", () => {
    it("is over budget only past it, as the stale alert's time() - last > budget", () => {
        assert.equal(overBudget(26 * HOUR, 26 * HOUR), false);
        assert.equal(overBudget(26 * HOUR + 1, 26 * HOUR), true);
    });

    it("a CronJob whose last success is exactly its budget old is ok; a second more, stale, by how much", () => {
        const dump = cronJob();
        const budget = 26 * HOUR;
        const atBudget = later(dump.lastSuccessfulTime!, budget);
        assert.deepEqual(cronJobFreshness(dumpWatch, dump, jobs(), budget, atBudget), {
            status: "ok",
            lastSuccess: dump.lastSuccessfulTime,
            ageSeconds: budget,
        });
        const past = cronJobFreshness(dumpWatch, dump, jobs(), budget, later(atBudget, 1));
        assert.equal(past.status, "stale");
        assert.equal(past.ageSeconds, budget + 1);
        assert.equal(past.detail, "1 s over budget: docs/monitoring.md#stale");
    });

    it("reports the cause before the symptom: missing, suspended, failing, never succeeded, then stale", () => {
        const budget = 26 * HOUR;
        const muchLater = later(RECORDED_AT, 100 * HOUR);
        assert.equal(cronJobFreshness(dumpWatch, undefined, [], budget, RECORDED_AT).status, "missing");
        assert.match(cronJobFreshness(dumpWatch, undefined, [], budget, RECORDED_AT).detail!, /no CronJob qalita\/qalita-postgresql-pgdumpall in the cluster/);
        const dump = cronJob();
        const suspended = cronJobFreshness(dumpWatch, { ...dump, suspended: true }, jobs(), budget, muchLater);
        assert.equal(suspended.status, "suspended");
        assert.match(suspended.detail!, /kubectl -n qalita patch cronjob qalita-postgresql-pgdumpall -p '\{"spec":\{"suspend":false\}\}'/);
        assert.equal(
            suspended.ageSeconds,
            (muchLater.getTime() - dump.lastSuccessfulTime!.getTime()) / 1000,
            "a suspended path still shows its newest backup's age",
        );
        const failed = jobState(fixture("job-dump-failed.json"));
        const failing = cronJobFreshness(dumpWatch, { ...dump, lastSuccessfulTime: undefined }, [failed], budget, muchLater);
        assert.equal(failing.status, "failing", "a failure says more than never succeeded");
    });

    it("a Job that gave up after the last success makes the path failing, naming the Job and how to read its logs", () => {
        const failed = jobState(fixture("job-dump-failed.json"));
        const now = later(failed.startedAt!, HOUR);
        const verdict = cronJobFreshness(dumpWatch, dumpBeforeLastNight(), [...jobs(), failed], 26 * HOUR, now);
        assert.equal(verdict.status, "failing");
        assert.equal(
            verdict.detail,
            "Job qalita-postgresql-pgdumpall-29557560 failed (started 1 h ago), BackoffLimitExceeded: Job has reached the specified backoff limit; kubectl -n qalita logs job/qalita-postgresql-pgdumpall-29557560 --all-containers",
        );
    });

    it("a failure followed by a success is over; a Job still retrying has not failed; another CronJob's Jobs don't count", () => {
        const failedJob = fixture("job-dump-failed.json");
        const failed = jobState(failedJob);
        const afterIt = { ...cronJob(), lastSuccessfulTime: later(failed.startedAt!, 600) };
        assert.equal(cronJobFreshness(dumpWatch, afterIt, [failed], 26 * HOUR, later(failed.startedAt!, HOUR)).status, "ok");
        const retrying = jobState({ ...failedJob, status: { ...failedJob.status, conditions: [], active: 1 } });
        assert.equal(cronJobFreshness(dumpWatch, dumpBeforeLastNight(), [retrying], 26 * HOUR, later(failed.startedAt!, 600)).status, "ok");
        // Deleted and re-created under the same name: the old CronJob's failed Job is history.
        const recreated = { ...dumpBeforeLastNight(), uid: "5d0c4e1a-0000-4000-a000-000000000001" };
        assert.equal(cronJobFreshness(dumpWatch, recreated, [failed], 26 * HOUR, later(failed.startedAt!, 600)).status, "ok");
    });

    it("a CronJob that never succeeded says since when, and whether it ever started", () => {
        const fresh = { ...cronJob(), lastSuccessfulTime: undefined, lastScheduleTime: undefined, createdAt: later(RECORDED_AT, -2 * HOUR) };
        assert.deepEqual(cronJobFreshness(dumpWatch, fresh, [], 26 * HOUR, RECORDED_AT), {
            status: "never succeeded",
            detail: "no success since its creation 2 h ago, not scheduled yet: docs/monitoring.md#never-succeeded",
        });
        const started = { ...fresh, lastScheduleTime: later(RECORDED_AT, -600) };
        assert.match(cronJobFreshness(dumpWatch, started, [], 26 * HOUR, RECORDED_AT).detail!, /last run started 10 min ago/);
    });

    it("a SnapshotSchedule: ok up to its budget, stale past it with snapscheduler's own complaint, never run, disabled, missing", () => {
        const schedule = snapshotScheduleState(item(recordedAnswers(), "snapshotschedules.snapscheduler.backube", "qalita-dr-postgresql-data"));
        const last = schedule.lastSnapshotTime!;
        assert.equal(snapshotScheduleFreshness(snapshotWatch, schedule, 2 * HOUR, later(last, 2 * HOUR)).status, "ok");
        const complaining = { ...schedule, problem: "Reconciled False: volumesnapshotclass csi-snapclass not found" };
        assert.deepEqual(snapshotScheduleFreshness(snapshotWatch, complaining, 2 * HOUR, later(last, 2 * HOUR + 60)), {
            status: "stale",
            lastSuccess: last,
            ageSeconds: 2 * HOUR + 60,
            detail: "1 min over budget; Reconciled False: volumesnapshotclass csi-snapclass not found: docs/monitoring.md#stale",
        });
        assert.equal(snapshotScheduleFreshness(snapshotWatch, { ...schedule, lastSnapshotTime: undefined }, 2 * HOUR, RECORDED_AT).status, "never succeeded");
        const disabled = snapshotScheduleFreshness(snapshotWatch, { ...schedule, disabled: true }, 2 * HOUR, RECORDED_AT);
        assert.equal(disabled.status, "disabled");
        assert.match(disabled.detail!, /kubectl -n qalita patch snapshotschedule qalita-dr-postgresql-data --type merge/);
        assert.equal(snapshotScheduleFreshness(snapshotWatch, undefined, 2 * HOUR, RECORDED_AT).status, "missing");
    });

    it("reads a condition that is not True as snapscheduler's complaint", () => {
        const object = item(recordedAnswers(), "snapshotschedules.snapscheduler.backube", "qalita-dr-s3");
        object.status.conditions[0] = { ...object.status.conditions[0], status: "False", reason: "ReconcileError", message: "no snapshot class" };
        assert.equal(snapshotScheduleState(object).problem, "Reconciled False: no snapshot class");
    });

    it("writes durations in seconds, minutes, then hours (the unit budgets are given in)", () => {
        assert.deepEqual([41.34, 388.1, 600, 3600, 93_600, 615_600].map(formatSeconds), ["41.3 s", "6 min 28 s", "10 min", "1 h", "26 h", "171 h"]);
    });
});

describe("npm run status: the last drill (tools/status/drill-result.ts)", () => {
    const where = { namespace: "qalita", name: "qalita-dr-drill-status" };
    const recorded = () => fixture("configmaps.json").items[0];

    it("reads the DRILL_RESULT JSON of the element's key: RTO is download + restore, RPO the dump's age", () => {
        const drill = lastDrill(recorded(), where, "postgresql");
        assert.ok("result" in drill);
        assert.equal(drill.result.outcome, "success");
        assert.equal(Math.round(drillRtoSeconds(drill.result)! * 10) / 10, 429.4);
        assert.equal(drillRtoSeconds({ ...drill.result, downloadSeconds: 0 }), 388.1, "from the PVC: nothing to download");
        assert.equal(
            drillRtoSeconds({ ...drill.result, downloadSeconds: 40, restoreSeconds: null }),
            null,
            "a drill that stopped before restoring measured no RTO",
        );
    });

    it("says why there is no result: no ConfigMap, no key for the element, not the drill's JSON", () => {
        assert.match(
            (lastDrill(undefined, where, "postgresql") as { none: string }).none,
            /^no ConfigMap qalita\/qalita-dr-drill-status: no drill has finished yet/,
        );
        assert.match((lastDrill({ data: {} }, where, "postgresql") as { none: string }).none, /has no postgresql key/);
        assert.match((lastDrill({ data: { postgresql: "DRILL_RESULT {" } }, where, "postgresql") as { none: string }).none, /is not the drill's JSON/);
        assert.match((lastDrill({ data: { postgresql: "{}" } }, where, "postgresql") as { none: string }).none, /has no outcome/);
    });

    it("a failed drill makes its path failing with the drill's reason; a missing or suspended CronJob stays so", () => {
        const failed = lastDrill(fixture("configmaps.drill-failed.json").items[0], where, "postgresql");
        const verdict = drillFreshness({ status: "ok", ageSeconds: 100 }, failed);
        assert.equal(verdict.status, "failing");
        assert.match(
            verdict.detail!,
            /^last drill failed: row counts differ .* public\.analysis_results: 184210 rows recorded, 184176 restored; docs\/drills\.md#when-it-fails$/,
        );
        assert.equal(drillFreshness({ status: "suspended" }, failed).status, "suspended");
        assert.equal(drillFreshness({ status: "ok" }, lastDrill(undefined, where, "postgresql")).status, "ok", "no result yet is shown, not judged");
    });
});

describe("npm run status: the report over the recorded cluster (tools/status/report.ts)", () => {
    const stack = () => stackPaths(PROJECT_DIR, "live", STATUS_FIXTURES);
    const observed = (): Observed => {
        const answers = recordedAnswers();
        return {
            cronJobs: answers["cronjobs.batch"].items.map(cronJobState),
            jobs: answers["jobs.batch"].items.map(jobState),
            snapshotSchedules: answers["snapshotschedules.snapscheduler.backube"].items.map(snapshotScheduleState),
            snapshotScheduleCrdMissing: false,
            drillConfigMap: answers.configmaps.items[0],
        };
    };

    it("judges every path of the stack, grouped by element, healthy when recorded", () => {
        const report = statusReport(stack(), observed(), RECORDED_AT);
        assert.equal(report.healthy, true);
        assert.deepEqual(
            report.paths.map((path) => [path.id, path.freshness.status, path.budgetSeconds / HOUR]),
            [
                ["postgresql-dump", "ok", 26],
                ["postgresql-offsite", "ok", 3],
                ["snapshot-postgresql-data", "ok", 2],
                ["snapshot-postgresql-dump", "ok", 25],
                ["postgresql-drill", "ok", 169],
                ["s3-offsite", "ok", 171],
                ["snapshot-s3", "ok", 171],
                ["agents-offsite", "ok", 171],
                ["snapshot-agents", "ok", 171],
            ],
        );
        assert.equal(report.paths[0].budgetWords, "24 h between dumps + 60 min for a run, + 1 h grace");
        assert.deepEqual(
            report.notBackedUp.map((entry) => `${entry.element}: ${entry.why}`),
            ["redis: off", "frontend: not needed", "backend: not needed"],
        );
        assert.equal(report.drill?.rpoSeconds, 10812);
    });

    it("at the hourly data snapshot's budget (2 h) it is still ok; a second later it is the one stale path", () => {
        const lastSnapshot = new Date(item(recordedAnswers(), "snapshotschedules.snapscheduler.backube", "qalita-dr-postgresql-data").status.lastSnapshotTime);
        const atBudget = statusReport(stack(), observed(), later(lastSnapshot, 2 * HOUR));
        assert.equal(atBudget.healthy, true);
        const past = statusReport(stack(), observed(), later(lastSnapshot, 2 * HOUR + 1));
        assert.deepEqual(
            past.paths.filter((path) => path.freshness.status !== "ok").map((path) => path.id),
            ["snapshot-postgresql-data"],
        );
        assert.equal(past.healthy, false);
    });

    it("without snapscheduler's CRD every SnapshotSchedule path is missing, saying how to install it", () => {
        const report = statusReport(stack(), { ...observed(), snapshotSchedules: [], snapshotScheduleCrdMissing: true }, RECORDED_AT);
        const snapshots = report.paths.filter((path) => path.watches.kind === "SnapshotSchedule");
        assert.equal(snapshots.length, 4);
        for (const path of snapshots) {
            assert.equal(path.freshness.status, "missing");
            assert.match(path.freshness.detail!, /snapscheduler is not installed \(snapshots\.installOperator: true/);
        }
    });
});
