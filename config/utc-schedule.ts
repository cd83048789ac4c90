/**
 * Converting a schedule written in a local timezone into the UTC cron that chart 12.12.10's
 * CronJob and snapscheduler need. A cron has no notion of DST, so the conversion uses the zone's
 * standard-time offset — stable from one plan to the next — and reports the DST drift so the
 * posture table can say "runs one hour later in summer".
 */
import { CronExpressionParser, CronFieldCollection, DayOfWeekRange, HourRange, SixtyRange } from "cron-parser";

const DAY_MINUTES = 24 * 60;

export type UtcScheduleResult = { ok: true; cron: string; standardOffsetMinutes: number; dstShiftMinutes: number } | { ok: false; message: string };

/** Offset of `timezone` from UTC at `instant`, in minutes (Paris in winter: +60). */
export function offsetMinutes(timezone: string, instant: Date): number {
    const parts = new Intl.DateTimeFormat("en-US", {
        timeZone: timezone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
    }).formatToParts(instant);
    const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
    const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
    return Math.round((local - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** Standard time is the smaller of the January and July offsets, in either hemisphere. */
function standardOffset(timezone: string, year: number): { standard: number; dstShift: number } {
    const january = offsetMinutes(timezone, new Date(Date.UTC(year, 0, 1)));
    const july = offsetMinutes(timezone, new Date(Date.UTC(year, 6, 1)));
    return { standard: Math.min(january, july), dstShift: Math.abs(january - july) };
}

export function toUtcSchedule(cron: string, timezone: string, year = 2026): UtcScheduleResult {
    const { standard, dstShift } = standardOffset(timezone, year);
    const shifted = shiftSchedule(cron, -standard);
    if (!shifted.ok) return { ok: false, message: `"${cron}" in ${timezone}: ${shifted.message}; write the schedule in UTC and set timezone: UTC` };
    return { ok: true, cron: shifted.cron, standardOffsetMinutes: standard, dstShiftMinutes: dstShift };
}

/**
 * The same schedule `deltaMinutes` later (or earlier when negative) — for converting to UTC, and
 * for jobs that must run after another one (the offsite copy after the dump).
 */
export function shiftSchedule(cron: string, deltaMinutes: number): { ok: true; cron: string } | { ok: false; message: string } {
    if (deltaMinutes === 0) return { ok: true, cron };
    const fields = CronExpressionParser.parse(cron, { tz: "UTC" }).fields;
    const shifted = shiftTimes(fields, -deltaMinutes);
    if (!shifted.ok) return shifted;
    const dayShift = shifted.dayCarry;
    if (dayShift !== 0 && (!fields.dayOfMonth.isWildcard || !fields.month.isWildcard)) {
        return { ok: false, message: "it would fall on another day, which a day-of-month or month field cannot follow" };
    }
    const dayOfWeek =
        dayShift === 0 || fields.dayOfWeek.isWildcard
            ? fields.dayOfWeek.values
            : [...new Set(fields.dayOfWeek.values.map((day) => ((((Number(day) % 7) + dayShift) % 7) + 7) % 7))];
    const converted = CronFieldCollection.from(fields, {
        minute: shifted.minutes as SixtyRange[],
        hour: shifted.hours as HourRange[],
        dayOfWeek: dayOfWeek as DayOfWeekRange[],
    });
    return { ok: true, cron: converted.stringify() };
}

type Shifted = { ok: true; minutes: number[]; hours: number[]; dayCarry: number } | { ok: false; message: string };

/**
 * Moves every (hour, minute) pair back by the offset. The result must still be a cron, i.e. a
 * product of a minute set and an hour set all on the same day: otherwise the caller is told to
 * write the schedule in UTC.
 */
function shiftTimes(fields: CronFieldCollection, offset: number): Shifted {
    const pairs = new Set<number>();
    const carries = new Set<number>();
    for (const hour of fields.hour.values) {
        for (const minute of fields.minute.values) {
            const utc = hour * 60 + minute - offset;
            carries.add(Math.floor(utc / DAY_MINUTES));
            pairs.add(((utc % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES);
        }
    }
    const minutes = [...new Set([...pairs].map((t) => t % 60))].sort((a, b) => a - b);
    const hours = [...new Set([...pairs].map((t) => Math.floor(t / 60)))].sort((a, b) => a - b);
    const daysAreFree = fields.dayOfMonth.isWildcard && fields.month.isWildcard && fields.dayOfWeek.isWildcard;
    if (minutes.length * hours.length !== pairs.size) {
        return { ok: false, message: "its shifted times of day do not form a single cron" };
    }
    if (carries.size > 1 && !daysAreFree) {
        return { ok: false, message: "some of its runs would fall on another day than others" };
    }
    return { ok: true, minutes, hours, dayCarry: carries.size === 1 ? [...carries][0] : 0 };
}
