/**
 * Pure construction of snapscheduler `SnapshotSchedule` specs (snapscheduler.backube/v1).
 * snapscheduler reads `schedule` in UTC only: callers pass an already-converted UTC cron.
 */
import { MIN_RETAINED_RUNS } from "../../contracts/schedule";
import { ElementClaims, LabelSelector } from "../../contracts/snapshot-claims";

export interface SnapshotScheduleSpec {
    readonly schedule: string;
    readonly claimSelector: LabelSelector;
    readonly retention: { readonly expires: string; readonly maxCount: number };
    readonly snapshotTemplate: { readonly labels: Record<string, string>; readonly snapshotClassName?: string };
    readonly disabled: boolean;
}

/** When a set is snapshotted and for how long its snapshots are kept. */
export interface ScheduleTiming {
    /** UTC cron. */
    readonly utcCron: string;
    /** Longest gap between two snapshots. */
    readonly intervalHours: number;
    readonly retentionDays: number;
}

/**
 * Retention is time-based (`expires`, a Go duration in whole hours), with `maxCount` as a safety
 * net sized so that it never bites first — and never below 2: snapscheduler can otherwise delete
 * the last ready snapshot when new ones keep failing (backube/snapscheduler#688).
 */
export function volumeScheduleSpec(
    timing: ScheduleTiming,
    claims: ElementClaims,
    labels: Record<string, string>,
    snapshotClassName?: string,
): SnapshotScheduleSpec {
    if (!(timing.intervalHours > 0) || !Number.isInteger(timing.retentionDays) || timing.retentionDays < 1) {
        throw new Error(`cannot schedule snapshots every ${timing.intervalHours} h kept ${timing.retentionDays} days`);
    }
    const retentionHours = timing.retentionDays * 24;
    const maxCount = Math.max(MIN_RETAINED_RUNS, Math.ceil(retentionHours / timing.intervalHours) + 1);
    return {
        schedule: timing.utcCron,
        claimSelector: claims.selector,
        retention: { expires: `${retentionHours}h`, maxCount },
        snapshotTemplate: { labels, ...(snapshotClassName ? { snapshotClassName } : {}) },
        disabled: false,
    };
}
