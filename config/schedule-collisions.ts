/**
 * Jobs of different configured schedules starting in the same minute — `@weekly` on s3 and agents
 * puts both copies and both snapshot runs on Sunday 00:00 — found over a week of runs computed by
 * cron-parser, each with a concrete stagger. Pure; the posture prints them as DR warnings.
 *
 * A collision is a minute of the week in which pods of two or more schedules start (dump, copies,
 * drill: ScheduledJob.runsPod): they compete for CPU, disk and the uplink, so each backup takes
 * longer than its schedule planned for. Snapshot runs in that minute are listed too, and a
 * suggested time avoids them as well when it can. Jobs of one schedule (an element's copy and its
 * snapshots) start together by design and are never a collision on their own.
 */
import { CronExpressionParser } from "cron-parser";
import type { ElementName } from "../contracts/elements";
import type { ScheduledJob, ScheduleSource } from "./scheduled-jobs";
import { shiftSchedule, toUtcSchedule } from "./utc-schedule";

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** 2026-01-04, a Sunday: minute 0 of the week is Sunday 00:00 UTC, as cron counts days. */
const WEEK_START = Date.UTC(2026, 0, 4);
/** A schedule tied to days of the month or to months repeats over a year, not a week. */
const YEAR_DAYS = 366;
/** How much later a schedule asked to move is tried, in minutes: round shifts first. */
const SHIFTS = [15, 30, 45, 5, 10, 20, 25, 35, 40, 50, 55, ...Array.from({ length: 59 }, (_, i) => i + 1).filter((m) => m % 5 !== 0)];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export interface ScheduleMove {
    readonly source: ScheduleSource;
    /** The schedule to write instead, in the source's timezone; absent when none is free. */
    readonly cron?: string;
}

export interface ScheduleCollision {
    /** Minutes of the week (0 = Sunday 00:00 UTC) in which these schedules' pods start together. */
    readonly minutes: readonly number[];
    /** Every job starting in the first of them. */
    readonly jobs: readonly string[];
    /** The schedule that keeps its time (the first in scheduledJobs' order), and the ones to move. */
    readonly keeps: ScheduleSource;
    readonly moves: readonly ScheduleMove[];
}

const minutesCache = new Map<string, readonly number[]>();

/** The minutes of the week a UTC cron starts in, from its runs over a week (or a year, see YEAR_DAYS). */
export function weekMinutes(utcCron: string): readonly number[] {
    const cached = minutesCache.get(utcCron);
    if (cached) return cached;
    const { dayOfMonth, month } = CronExpressionParser.parse(utcCron, { tz: "UTC" }).fields;
    const days = dayOfMonth.isWildcard && month.isWildcard ? 7 : YEAR_DAYS;
    const runs = CronExpressionParser.parse(utcCron, {
        tz: "UTC",
        currentDate: new Date(WEEK_START - 1),
        endDate: new Date(WEEK_START + days * DAY_MINUTES * MINUTE_MS - 1),
    });
    const minutes = new Set<number>();
    while (runs.hasNext()) minutes.add(Math.floor((runs.next().getTime() - WEEK_START) / MINUTE_MS) % WEEK_MINUTES);
    const sorted = [...minutes].sort((a, b) => a - b);
    minutesCache.set(utcCron, sorted);
    return sorted;
}

export function scheduleCollisions(jobs: readonly ScheduledJob[]): ScheduleCollision[] {
    const rank = (source: ScheduleSource) => jobs.findIndex((job) => job.source.key === source.key);
    const occupancy = occupancyOf(jobs);
    const groups = new Map<string, { sources: ScheduleSource[]; minutes: number[] }>();
    for (const [minute, here] of [...occupancy].sort(([a], [b]) => a - b)) {
        const sources = unique(here.filter((job) => job.runsPod).map((job) => job.source)).sort((a, b) => rank(a) - rank(b));
        if (sources.length < 2) continue;
        const key = sources.map((source) => source.key).join(" ");
        if (!groups.has(key)) groups.set(key, { sources, minutes: [] });
        groups.get(key)!.minutes.push(minute);
    }
    // Named before any move changes the occupancy: the pods first, then the snapshot runs.
    const names = (minute: number) => [...occupancy.get(minute)!].sort((a, b) => Number(b.runsPod) - Number(a.runsPod)).map((job) => job.name);
    const named = [...groups.values()].map((group) => ({ ...group, jobs: names(group.minutes[0]) }));
    const decided = new Map<string, ScheduleMove>();
    return named.map(({ sources, minutes, jobs: names }) => {
        const moves = sources.slice(1).map((source) => {
            if (!decided.has(source.key)) decided.set(source.key, { source, cron: moveTo(source, jobs, occupancy) });
            return decided.get(source.key)!;
        });
        return { minutes, jobs: names, keeps: sources[0], moves };
    });
}

/**
 * The first later start at which none of the source's runs meets a pod of another schedule — nor
 * anything else, if such a start exists. Applied to `occupancy`, so the next move avoids it too.
 * Only a schedule all of whose jobs run on its own cron can move as one (not PostgreSQL's, whose
 * copy and dump snapshot follow the dump at their own times).
 */
function moveTo(source: ScheduleSource, jobs: readonly ScheduledJob[], occupancy: Map<number, ScheduledJob[]>): string | undefined {
    const own = jobs.filter((job) => job.source.key === source.key);
    if (own.some((job) => job.utcCron !== source.schedule.utcCron)) return undefined;
    const others = (minute: number) => (occupancy.get(minute) ?? []).filter((job) => job.source.key !== source.key);
    let fallback: { cron: string; utcCron: string } | undefined;
    for (const shift of SHIFTS) {
        const shifted = shiftSchedule(source.schedule.cron, shift);
        const utc = shifted.ok ? toUtcSchedule(shifted.cron, source.schedule.timezone) : undefined;
        if (!shifted.ok || !utc?.ok) continue;
        const met = weekMinutes(utc.cron).flatMap(others);
        if (met.some((job) => job.runsPod)) continue;
        if (met.length === 0 || !fallback) fallback = { cron: shifted.cron, utcCron: utc.cron };
        if (met.length === 0) break;
    }
    if (!fallback) return undefined;
    for (const job of own) {
        for (const minute of weekMinutes(job.utcCron))
            occupancy.set(
                minute,
                occupancy.get(minute)!.filter((other) => other !== job),
            );
        for (const minute of weekMinutes(fallback.utcCron)) occupancy.set(minute, [...(occupancy.get(minute) ?? []), { ...job, utcCron: fallback.utcCron }]);
    }
    return fallback.cron;
}

function occupancyOf(jobs: readonly ScheduledJob[]): Map<number, ScheduledJob[]> {
    const occupancy = new Map<number, ScheduledJob[]>();
    for (const job of jobs) for (const minute of weekMinutes(job.utcCron)) occupancy.set(minute, [...(occupancy.get(minute) ?? []), job]);
    return occupancy;
}

function unique(sources: readonly ScheduleSource[]): ScheduleSource[] {
    return sources.filter((source, i) => sources.findIndex((other) => other.key === source.key) === i);
}

/** The DR warning of a collision, on the element whose schedule should move. */
export function collisionWarning(collision: ScheduleCollision): { element: ElementName; message: string } {
    const { jobs, moves, keeps } = collision;
    const list = jobs.length > 1 ? `${jobs.slice(0, -1).join(", ")} and ${jobs[jobs.length - 1]}` : jobs[0];
    const fixes = moves.map(({ source, cron }) =>
        cron
            ? `set ${source.key}: "${cron}"${source.schedule.timezone === "UTC" ? "" : ` (${source.schedule.timezone})`}`
            : `move ${source.key} a few minutes away from ${keeps.key}`,
    );
    return {
        element: moves[0]?.source.element ?? keeps.element,
        message: `${list} start in the same minute, ${whenWords(collision.minutes)}: their pods compete for CPU, disk and the uplink, so each backup takes longer than planned; stagger them — ${fixes.join(", ")}`,
    };
}

/** "Sunday 00:00 UTC", "every day at 02:00 UTC", "Sunday 03:30 UTC and 3 more minutes a week". */
export function whenWords(minutes: readonly number[]): string {
    const time = (minute: number) => {
        const ofDay = minute % DAY_MINUTES;
        return `${String(Math.floor(ofDay / 60)).padStart(2, "0")}:${String(ofDay % 60).padStart(2, "0")} UTC`;
    };
    const day = (minute: number) => DAYS[Math.floor(minute / DAY_MINUTES)];
    if (minutes.length === 1) return `${day(minutes[0])} ${time(minutes[0])}`;
    if (minutes.every((minute) => minute % DAY_MINUTES === minutes[0] % DAY_MINUTES)) {
        return minutes.length === 7 ? `every day at ${time(minutes[0])}` : `${minutes.map(day).join(", ")} at ${time(minutes[0])}`;
    }
    return `${day(minutes[0])} ${time(minutes[0])} and ${minutes.length - 1} more minute${minutes.length > 2 ? "s" : ""} a week`;
}
