/**
 * Resolves one element: the criticality table's defaults, overridden by the stack config, then
 * checked against what the criticality demands. Returns problems rather than throwing so that
 * `resolve.ts` can report every element's mistakes together.
 */
import { CATALOG } from "./catalog";
import { configKey, didYouMean, Problem } from "./problems";
import { RawElement } from "./raw-schema";
import { describeSchedule, isValidTimeZone } from "./schedule";
import { ElementSpec, ScheduleSpec } from "./spec";
import { tieringProblems } from "./tiering";
import { toUtcSchedule } from "./utc-schedule";
import { ElementName, MAX_INTERVAL_HOURS } from "../contracts/elements";
import { maxIntervalHours, parseSchedule } from "../contracts/schedule";

const MIN_REASON_LENGTH = 10;

export function resolveElement(element: ElementName, raw: RawElement = {}): { spec: ElementSpec; problems: Problem[] } {
    const defaults = CATALOG[element];
    const key = (field: string) => configKey(["elements", element, field]);
    const problems: Problem[] = [];
    const base = { element, criticality: defaults.criticality, state: defaults.state };

    if (defaults.criticality === "none") {
        for (const field of Object.keys(raw) as (keyof RawElement)[]) {
            if (field === "enabled" && raw.enabled === false) continue;
            problems.push({ key: key(field), message: `${element} holds no state of its own in QALITA (${defaults.state}): there is nothing to back up; remove this key` });
        }
        return { spec: { ...base, enabled: false }, problems };
    }

    const enabled = raw.enabled ?? defaults.enabled;
    const acceptedRisk = resolveRisk(raw, key, problems);
    if (!enabled && defaults.criticality === "critical" && !acceptedRisk) {
        problems.push({ key: key("enabled"), message: `${element} is critical: its backup can only be turned off with acceptRisk: true and a riskReason saying why` });
    }

    const timezone = raw.timezone ?? "UTC";
    if (!isValidTimeZone(timezone)) {
        const suggestion = didYouMean(timezone, Intl.supportedValuesOf("timeZone"));
        problems.push({ key: key("timezone"), message: `"${timezone}" is not an IANA timezone; ${suggestion ? `did you mean "${suggestion}"?` : 'write e.g. "Europe/Paris" or "UTC"'}` });
    }
    const schedule = resolveSchedule(raw.schedule ?? defaults.schedule!, isValidTimeZone(timezone) ? timezone : "UTC", key, problems);
    const retentionDays = raw.retentionDays ?? defaults.retentionDays!;

    if (enabled && schedule) {
        const limit = MAX_INTERVAL_HOURS[defaults.criticality]!;
        if (schedule.intervalHours > limit && !acceptedRisk) {
            problems.push({
                key: key("schedule"),
                message: `"${raw.schedule ?? defaults.schedule}" leaves up to ${formatHours(schedule.intervalHours)} between backups, but a ${defaults.criticality} element needs one at least every ${formatHours(limit)}; write e.g. "${defaults.schedule}", or set acceptRisk: true with a riskReason`,
            });
        }
        const neededDays = Math.ceil((2 * schedule.intervalHours) / 24);
        if (retentionDays < neededDays) {
            problems.push({ key: key("retentionDays"), message: `${retentionDays} days keeps fewer than 2 backups (longest gap ${formatHours(schedule.intervalHours)}): a failed run would leave none; write retentionDays: ${neededDays} or more` });
        }
    }

    if (enabled && raw.tiering) problems.push(...tieringProblems(element, { criticality: defaults.criticality, retentionDays }, raw.tiering));

    const spec: ElementSpec = { ...base, enabled, schedule, retentionDays, tiering: raw.tiering, acceptedRisk };
    return { spec, problems };
}

function resolveRisk(raw: RawElement, key: (field: string) => string, problems: Problem[]): string | undefined {
    const reason = raw.riskReason?.trim() ?? "";
    if (raw.acceptRisk && reason.length < MIN_REASON_LENGTH) {
        problems.push({ key: key("riskReason"), message: `acceptRisk: true needs a riskReason of at least ${MIN_REASON_LENGTH} characters saying why (it is shown in the posture table and to reviewers)` });
        return undefined;
    }
    if (!raw.acceptRisk && reason !== "") {
        problems.push({ key: key("acceptRisk"), message: "riskReason is set but acceptRisk is not true; write acceptRisk: true or remove riskReason" });
    }
    return raw.acceptRisk ? reason : undefined;
}

function resolveSchedule(expression: string, timezone: string, key: (field: string) => string, problems: Problem[]): ScheduleSpec | undefined {
    const parsed = parseSchedule(expression);
    if (!parsed.ok) {
        problems.push({ key: key("schedule"), message: parsed.message });
        return undefined;
    }
    const utc = toUtcSchedule(parsed.cron, timezone);
    if (!utc.ok) {
        problems.push({ key: key("schedule"), message: utc.message });
        return undefined;
    }
    return {
        cron: parsed.cron,
        timezone,
        utcCron: utc.cron,
        dstShiftMinutes: utc.dstShiftMinutes,
        words: describeSchedule(parsed.cron, timezone),
        intervalHours: maxIntervalHours(parsed.cron),
    };
}

export function formatHours(hours: number): string {
    if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
    return `${Math.round(hours * 10) / 10} h`;
}
