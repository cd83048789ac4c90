/**
 * Cron schedules as Kubernetes runs them: five fields or an @nickname, evaluated in UTC by the
 * CronJob controller (chart 12.12.10 exposes no `timeZone`) and by snapscheduler (UTC only).
 * Parsing and the longest gap between two runs are contracts/schedule.ts's (the policy pack uses
 * them too); this module adds what the config shows and checks besides: a description in words,
 * and whether a timezone exists (conversion to UTC: utc-schedule.ts).
 */
import cronstrue from "cronstrue";

/** "At 02:00 (Europe/Paris)". */
export function describeSchedule(cron: string, timezone: string): string {
    const words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
    return `${words} (${timezone})`;
}

export function isValidTimeZone(timezone: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: timezone });
        return true;
    } catch {
        return false;
    }
}
