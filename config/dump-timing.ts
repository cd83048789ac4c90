/**
 * When PostgreSQL dumps are complete, and so when they can be copied offsite or snapshotted —
 * and the worst-case data loss that follows. Pure.
 *
 * A dump does not always start on time: the CronJob controller starts a missed run up to
 * `startingDeadlineSeconds` late (STARTING_DEADLINE_HOURS), and a large database takes a while
 * to dump. A copy at a fixed delay after the dump's schedule would miss such a dump until the next
 * day (RPO ≈ 2 intervals + 1 h). The copy therefore polls: it is incremental (ids already offsite
 * are skipped after one listing), so running it every hour costs one short pod.
 */
import { CronExpressionParser } from "cron-parser";

/** A run missed during a control-plane outage of up to this long still happens. */
export const STARTING_DEADLINE_HOURS = 6;
/** How often the offsite copy looks for complete dumps not yet in cold storage. */
export const OFFSITE_POLL_MINUTES = 60;
/** The dump PVC's snapshot follows the dump's schedule this much later (a dump takes a while). */
export const DUMP_SNAPSHOT_DELAY_MINUTES = 60;
/** What the posture assumes a dump plus its upload take at most, unless dump.expectedRunMinutes says otherwise. */
export const DEFAULT_EXPECTED_RUN_MINUTES = 60;

/**
 * Hourly, half an hour past the dump's minute: a dump that takes less than 30 min is offsite
 * 30 min after it starts, and the copy never starts in the very minute the dump does.
 */
export function offsitePollCron(dumpUtcCron: string): string {
    const minutes = CronExpressionParser.parse(dumpUtcCron, { tz: "UTC" }).fields.minute.values;
    return `${(Number(minutes[0]) + OFFSITE_POLL_MINUTES / 2) % 60} * * * *`;
}

/**
 * Worst-case age of the newest complete dump on the dump PVC: the previous dump started on time,
 * the next one starts as late as the controller allows and runs as long as expected.
 */
export function dumpRpoHours(intervalHours: number, expectedRunMinutes: number): number {
    return intervalHours + STARTING_DEADLINE_HOURS + expectedRunMinutes / 60;
}

/** The same, in cold storage: plus one poll of the copy (its upload is in expectedRunMinutes). */
export function offsiteRpoHours(intervalHours: number, expectedRunMinutes: number): number {
    return dumpRpoHours(intervalHours, expectedRunMinutes) + OFFSITE_POLL_MINUTES / 60;
}

/**
 * Longest expected time between two successful dumps, for the dump's freshness alert: the
 * interval, plus a run as long as expected (a success is stamped when the run completes). A run
 * the controller starts late (STARTING_DEADLINE_HOURS) is worth an alert before the RPO is reached.
 */
export function dumpSuccessGapHours(intervalHours: number, expectedRunMinutes: number): number {
    return intervalHours + expectedRunMinutes / 60;
}

/**
 * Longest expected time between two successful offsite copies: the copy polls every
 * OFFSITE_POLL_MINUTES, and a run that uploads a dump lasts up to expectedRunMinutes (the dump's
 * upload is counted in it, as offsiteRpoHours counts it). The dump's alert watches the dumps;
 * this one, that each complete dump reaches cold storage within a poll and an upload.
 */
export function offsiteCopySuccessGapHours(expectedRunMinutes: number): number {
    return OFFSITE_POLL_MINUTES / 60 + expectedRunMinutes / 60;
}
