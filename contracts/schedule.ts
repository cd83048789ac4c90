/**
 * Cron schedules as Kubernetes runs them: five fields or an @nickname, evaluated in UTC by the
 * CronJob controller (chart 12.12.10 exposes no `timeZone`) and by snapscheduler (UTC only).
 * Parsing is cron-parser's; this module adds what a DR tool judges a schedule by: whether
 * Kubernetes accepts it, and the longest gap between two runs (the RPO a schedule gives). The
 * config validates schedules with it and the policy pack judges planned ones the same way.
 */
import { CronExpressionParser, CronFieldCollection } from "cron-parser";

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
/** Runs are looked for this far ahead: beyond the loosest criticality limit (30 days). */
const HORIZON_DAYS = 400;
/** The longest gap maxIntervalHours ever reports (a schedule firing less than twice in the horizon). */
export const LONGEST_INTERVAL_HOURS = HORIZON_DAYS * 24;
/** A fixed start keeps computed intervals reproducible from one plan to the next. */
const EPOCH = Date.UTC(2026, 0, 1);

const NICKNAMES: Record<string, string> = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
};

export type ScheduleResult = { ok: true; cron: string } | { ok: false; message: string };

/** Normalises a schedule to five fields, rejecting what the Kubernetes cron parser rejects. */
export function parseSchedule(expression: string): ScheduleResult {
    const trimmed = expression.trim();
    const nickname = NICKNAMES[trimmed.toLowerCase()];
    const cron = nickname ?? trimmed.split(/\s+/).join(" ");
    const fieldCount = cron === "" ? 0 : cron.split(" ").length;
    if (fieldCount !== 5) {
        return {
            ok: false,
            message: `"${expression}" has ${fieldCount} fields; write 5 (minute hour day-of-month month day-of-week), e.g. "0 2 * * *", or one of ${Object.keys(NICKNAMES).join(", ")}`,
        };
    }
    const [, , dayOfMonth, , dayOfWeek] = cron.split(" ");
    if (/#|(^|[,\d])L|W(,|$)/i.test(`${dayOfMonth} ${dayOfWeek}`)) {
        return { ok: false, message: `"${expression}" uses L, W or #, which Kubernetes cron does not support; list the days explicitly` };
    }
    try {
        CronExpressionParser.parse(cron, { tz: "UTC" });
    } catch (error) {
        return { ok: false, message: `"${expression}" is not a valid cron expression (${(error as Error).message}); e.g. "0 2 * * *" for 02:00 daily` };
    }
    return { ok: true, cron };
}

function fieldsOf(cron: string): CronFieldCollection {
    return CronExpressionParser.parse(cron, { tz: "UTC" }).fields;
}

/** Minutes of the day a schedule fires at, sorted. Hour and minute are independent of the day. */
function timesOfDay(fields: CronFieldCollection): number[] {
    const times: number[] = [];
    for (const hour of fields.hour.values) for (const minute of fields.minute.values) times.push(hour * 60 + minute);
    return times.sort((a, b) => a - b);
}

/**
 * Days (since the Unix epoch) on which the schedule fires, within the horizon. Every day or a
 * weekly pattern is computed directly; day-of-month and month patterns are walked with
 * cron-parser, one call per matching day however dense the schedule is within a day.
 */
function matchingDays(cron: string, fields: CronFieldCollection): number[] {
    const firstDay = Math.floor(EPOCH / (DAY_MINUTES * MINUTE_MS));
    const days: number[] = [];
    if (fields.dayOfMonth.isWildcard && fields.month.isWildcard) {
        // 1970-01-01 (day 0) was a Thursday; cron's Sunday is 0 or 7.
        const weekdays = new Set(fields.dayOfWeek.values.map((day) => Number(day) % 7));
        for (let day = firstDay; day <= firstDay + HORIZON_DAYS; day++) if (weekdays.has((day + 4) % 7)) days.push(day);
        return days;
    }
    const expression = CronExpressionParser.parse(cron, { tz: "UTC", currentDate: new Date(EPOCH - 1) });
    for (;;) {
        const day = Math.floor(expression.next().getTime() / (DAY_MINUTES * MINUTE_MS));
        if (day > firstDay + HORIZON_DAYS) return days;
        days.push(day);
        // Jump to the end of that day.
        expression.reset(new Date((day + 1) * DAY_MINUTES * MINUTE_MS - 1));
    }
}

/** Resolving a config evaluates the same few schedules many times over. */
const intervalCache = new Map<string, number>();

/**
 * The longest time between two consecutive runs, in hours: the worst-case RPO the schedule gives.
 * Evaluated on UTC wall-clock time, so a DST change does not make a daily job look like 25 h.
 * Schedules firing less than twice in 400 days report the horizon itself.
 */
export function maxIntervalHours(cron: string): number {
    const cached = intervalCache.get(cron);
    if (cached !== undefined) return cached;
    const fields = fieldsOf(cron);
    const times = timesOfDay(fields);
    const days = matchingDays(cron, fields);
    let longest = HORIZON_DAYS * DAY_MINUTES;
    if (days.length >= 2) {
        longest = 0;
        for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
        for (let i = 1; i < days.length; i++) {
            longest = Math.max(longest, (days[i] - days[i - 1]) * DAY_MINUTES + times[0] - times[times.length - 1]);
        }
    }
    intervalCache.set(cron, longest / 60);
    return longest / 60;
}

/**
 * Backups kept per schedule, at least: with fewer, one failed run leaves no good backup (and
 * snapscheduler can delete the last ready snapshot, backube/snapscheduler#688). The config
 * refuses shorter retentions, the snapshot plan never deploys one, and the policy pack judges
 * planned SnapshotSchedules by the same number.
 */
export const MIN_RETAINED_RUNS = 2;

/** The shortest retention that keeps MIN_RETAINED_RUNS runs of a schedule with this longest gap, in hours. */
export function minRetentionHours(intervalHours: number): number {
    return MIN_RETAINED_RUNS * intervalHours;
}

/** The same in whole days, as retentions are configured. */
export function minRetentionDays(intervalHours: number): number {
    return Math.ceil(minRetentionHours(intervalHours) / 24);
}
