/**
 * snapshot-retention-safe — every SnapshotSchedule keeps at least two snapshots of each PVC:
 * `retention.maxCount` ≥ 2 (snapscheduler can otherwise delete the last ready snapshot when new
 * ones fail, backube/snapscheduler#688) and `retention.expires` ≥ 2 of the schedule's longest
 * gaps (snapshots otherwise expire before the next one is taken). snapscheduler applies the more
 * restrictive of the two, so both are required.
 */
import { isSnapschedulerDuration, parseGoDuration } from "../lib/go-duration";
import { RuleDefinition } from "../lib/resources";
import { ScheduleView, snapshotSchedules } from "../lib/snapshot-schedules";
import { UNKNOWN } from "../lib/plan-values";
import { GO_DURATION_MAX_HOURS, INT32_MAX } from "../../contracts/limits";
import { MIN_RETAINED_RUNS, minRetentionHours } from "../../contracts/schedule";

export const snapshotRetentionSafe: RuleDefinition = {
    name: "snapshot-retention-safe",
    description:
        "Every SnapshotSchedule sets retention.maxCount ≥ 2 and retention.expires ≥ twice its longest gap between snapshots, both within what the CRD and snapscheduler accept.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation: `Set retention.maxCount to a whole number from ${MIN_RETAINED_RUNS} to ${INT32_MAX} and retention.expires to a whole number of hours (or m, s) covering at least ${MIN_RETAINED_RUNS} of the schedule's longest gaps and at most ${GO_DURATION_MAX_HOURS}h; with this stack, set qalita-dr:elements.<element>.retentionDays (or snapshots.postgresqlData.retentionDays) rather than editing the schedule.`,
    check(resources) {
        return snapshotSchedules(resources).flatMap((schedule) =>
            problems(schedule).map((message) => ({ urn: schedule.urn, message: `SnapshotSchedule ${schedule.name}: ${message}` })),
        );
    },
};

function problems(schedule: ScheduleView): string[] {
    const found: string[] = [];
    const { maxCount, expires, cadence } = schedule;
    if (maxCount === UNKNOWN) found.push("retention.maxCount is unknown during preview, so it cannot be verified; set it from config");
    else if (maxCount === undefined) found.push("retention.maxCount is not set; write maxCount: 2 or more (with expires, the more restrictive applies)");
    else if (typeof maxCount !== "number" || !Number.isInteger(maxCount) || maxCount < MIN_RETAINED_RUNS)
        found.push(
            `retention.maxCount ${JSON.stringify(maxCount)} keeps fewer than ${MIN_RETAINED_RUNS} snapshots: a failing run can leave none ready (backube/snapscheduler#688); write ${MIN_RETAINED_RUNS} or more`,
        );
    else if (maxCount > INT32_MAX)
        found.push(
            `retention.maxCount ${maxCount} is beyond the CRD's int32 field (at most ${INT32_MAX}): the API server rejects the SnapshotSchedule; write a whole number from ${MIN_RETAINED_RUNS} to ${INT32_MAX} (the stack sizes it from qalita-dr:elements.<element>.retentionDays)`,
        );
    if (expires === UNKNOWN || cadence === UNKNOWN) {
        found.push(
            `${expires === UNKNOWN ? "retention.expires" : "spec.schedule"} is unknown during preview, so the retention cannot be verified; set it from config`,
        );
        return found;
    }
    if (expires === undefined) {
        found.push('retention.expires is not set; write a duration of at least two intervals, e.g. "336h" for a weekly schedule');
        return found;
    }
    const parsed =
        typeof expires === "string" ? parseGoDuration(expires) : { ok: false as const, message: `${JSON.stringify(expires)} is not a Go duration string` };
    if (!parsed.ok) {
        found.push(`retention.expires: ${parsed.message}`);
        return found;
    }
    if (!isSnapschedulerDuration(String(expires)))
        found.push(
            `retention.expires "${expires}" is a Go duration, but snapscheduler's CRD only accepts one whole-number unit (^\\d+(h|m|s)$); write it as ${Math.round(parsed.seconds / 60)}m or in whole hours`,
        );
    if ("problem" in cadence) {
        found.push(cadence.problem);
        return found;
    }
    const neededHours = minRetentionHours(cadence.intervalHours);
    if (parsed.seconds / 3600 < neededHours)
        found.push(
            `retention.expires "${expires}" is shorter than two of the schedule's longest gaps (${cadence.intervalHours} h): snapshots expire before enough new ones exist; write at least "${Math.ceil(neededHours)}h"`,
        );
    return found;
}
