/**
 * Durations in words. Ages and budgets are shown in the same unit from an hour up (hours, as the
 * plan and docs/monitoring.md give budgets: "171 h"), so one can be compared with the other at a
 * glance.
 */

const round1 = (value: number) => Math.round(value * 10) / 10;

/** 41.3 s, 6 min 28 s, 25.9 h. */
export function formatSeconds(seconds: number): string {
    if (seconds < 60) return `${round1(seconds)} s`;
    if (seconds < 3600) {
        const whole = Math.round(seconds);
        return whole % 60 === 0 ? `${whole / 60} min` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
    }
    return `${round1(seconds / 3600)} h`;
}

/** Whole seconds from `since` to `now`. */
export function secondsBetween(since: Date, now: Date): number {
    return Math.round((now.getTime() - since.getTime()) / 1000);
}
