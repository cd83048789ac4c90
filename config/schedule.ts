/**
 * Cron schedules as Kubernetes runs them: five fields or an @nickname, evaluated in UTC by the
 * CronJob controller (chart 12.12.10 exposes no `timeZone`) and by snapscheduler (UTC only).
 * Parsing and the longest gap between two runs are contracts/schedule.ts's (the policy pack uses
 * them too); this module is where the config turns a schedule as written into a ScheduleSpec —
 * the one resolver every configured schedule goes through (elements, the PostgreSQL data
 * snapshots) — and checks a retention against it. Conversion to UTC: utc-schedule.ts.
 */
import cronstrue from "cronstrue";
import type { Problem } from "../contracts/problem";
import { maxIntervalHours, MIN_RETAINED_RUNS, minRetentionDays, parseSchedule } from "../contracts/schedule";
import { didYouMean } from "./problems";
import type { ScheduleSpec } from "./spec";
import { toUtcSchedule } from "./utc-schedule";

/** "At 02:00 (Europe/Paris)". */
export function describeSchedule(cron: string, timezone: string): string {
    const words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
    return `${words} (${timezone})`;
}

function isValidTimeZone(timezone: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: timezone });
        return true;
    } catch {
        return false;
    }
}

/** The config keys a schedule's problems are reported at. */
export interface ScheduleKeys {
    readonly schedule: string;
    readonly timezone: string;
}

/**
 * A schedule as written (cron or @nickname, in `timezone`) → its ScheduleSpec, or undefined with
 * its problems pushed. An unknown timezone is reported with the closest IANA name, and the
 * schedule is still checked (in UTC) so that both mistakes show in one run.
 */
export function resolveSchedule(expression: string, timezone: string, keys: ScheduleKeys, problems: Problem[]): ScheduleSpec | undefined {
    const zoneKnown = isValidTimeZone(timezone);
    if (!zoneKnown) {
        const suggestion = didYouMean(timezone, Intl.supportedValuesOf("timeZone"));
        problems.push({
            key: keys.timezone,
            message: `"${timezone}" is not an IANA timezone; ${suggestion ? `did you mean "${suggestion}"?` : 'write e.g. "Europe/Paris" or "UTC"'}`,
        });
    }
    const zone = zoneKnown ? timezone : "UTC";
    const parsed = parseSchedule(expression);
    if (!parsed.ok) {
        problems.push({ key: keys.schedule, message: parsed.message });
        return undefined;
    }
    const utc = toUtcSchedule(parsed.cron, zone);
    if (!utc.ok) {
        problems.push({ key: keys.schedule, message: utc.message });
        return undefined;
    }
    return {
        cron: parsed.cron,
        timezone: zone,
        utcCron: utc.cron,
        dstShiftMinutes: utc.dstShiftMinutes,
        words: describeSchedule(parsed.cron, zone),
        intervalHours: maxIntervalHours(parsed.cron),
    };
}

/**
 * The config's one retention check: a retention keeps at least MIN_RETAINED_RUNS runs of its
 * schedule (contracts/schedule.ts), or a failed run could leave no backup at all.
 * @param what what the runs leave behind, for the message: "backups", "snapshots"
 */
export function retentionProblems(retentionDays: number, schedule: Pick<ScheduleSpec, "intervalHours">, key: string, what: string): Problem[] {
    const needed = minRetentionDays(schedule.intervalHours);
    if (retentionDays >= needed) return [];
    return [
        {
            key,
            message: `${retentionDays} days keeps fewer than ${MIN_RETAINED_RUNS} ${what} (longest gap ${formatHours(schedule.intervalHours)}): a failed run would leave none; write retentionDays: ${needed} or more`,
        },
    ];
}

/** "36 h", "7 days". */
export function formatHours(hours: number): string {
    if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
    return `${Math.round(hours * 10) / 10} h`;
}
