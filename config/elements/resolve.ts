/**
 * Resolves one element: the criticality table's defaults, overridden by the stack config, then
 * checked against what the criticality demands. Returns problems rather than throwing so that
 * `resolve.ts` can report every element's mistakes together.
 */
import type { Problem } from "../../contracts/problem";
import { ElementName, MAX_INTERVAL_HOURS } from "../../contracts/elements";
import { CATALOG, elementPrefix } from "../catalog";
import { offsitePollCron } from "../dump-timing";
import { configKey } from "../problems";
import { formatHours, resolveSchedule, retentionProblems } from "../schedule";
import type { ElementSpec, ScheduleSpec } from "../spec";
import { tieringProblems } from "../tiering";
import type { RawElement } from "./schema";

const MIN_REASON_LENGTH = 10;

export function resolveElement(element: ElementName, raw: RawElement = {}): { spec: ElementSpec; problems: Problem[] } {
    const defaults = CATALOG[element];
    const key = (field: string) => configKey(["elements", element, field]);
    const problems: Problem[] = [];
    const base = { element, criticality: defaults.criticality, state: defaults.state };

    if (defaults.criticality === "none") {
        for (const field of Object.keys(raw) as (keyof RawElement)[]) {
            if (field === "enabled" && raw.enabled === false) continue;
            problems.push({
                key: key(field),
                message: `${element} holds no state of its own in QALITA (${defaults.state}): there is nothing to back up; remove this key`,
            });
        }
        return { spec: { ...base, enabled: false }, problems };
    }

    const enabled = raw.enabled ?? defaults.enabled;
    const acceptedRisk = resolveRisk(raw, key, problems);
    if (!enabled && defaults.criticality === "critical" && !acceptedRisk) {
        problems.push({
            key: key("enabled"),
            message: `${element} is critical: its backup can only be turned off with acceptRisk: true and a riskReason saying why`,
        });
    }

    const schedule = resolveSchedule(
        raw.schedule ?? defaults.schedule!,
        raw.timezone ?? "UTC",
        { schedule: key("schedule"), timezone: key("timezone") },
        problems,
    );
    const retentionDays = raw.retentionDays ?? defaults.retentionDays!;
    const coldStoragePrefix = elementPrefix(element);

    if (enabled && schedule) {
        const limit = MAX_INTERVAL_HOURS[defaults.criticality]!;
        if (schedule.intervalHours > limit && !acceptedRisk) {
            problems.push({
                key: key("schedule"),
                message: `"${raw.schedule ?? defaults.schedule}" leaves up to ${formatHours(schedule.intervalHours)} between backups, but a ${defaults.criticality} element needs one at least every ${formatHours(limit)}; write e.g. "${defaults.schedule}", or set acceptRisk: true with a riskReason`,
            });
        }
        problems.push(...retentionProblems(retentionDays, schedule, key("retentionDays"), "backups"));
    }

    if (enabled && raw.tiering) {
        problems.push(...tieringProblems(element, { criticality: defaults.criticality, retentionDays, coldStoragePrefix }, raw.tiering));
    }

    const offsiteUtcCron = enabled && schedule ? offsiteCron(defaults.offsiteCopy, schedule) : undefined;
    const spec: ElementSpec = { ...base, enabled, schedule, retentionDays, tiering: raw.tiering, coldStoragePrefix, offsiteUtcCron, acceptedRisk };
    return { spec, problems };
}

/** When the element's offsite copy runs, in UTC: on its schedule, or hourly after each dump. */
function offsiteCron(copy: (typeof CATALOG)[ElementName]["offsiteCopy"], schedule: ScheduleSpec): string | undefined {
    if (copy === "schedule") return schedule.utcCron;
    if (copy === "after-dump") return offsitePollCron(schedule.utcCron);
    return undefined;
}

function resolveRisk(raw: RawElement, key: (field: string) => string, problems: Problem[]): string | undefined {
    const reason = raw.riskReason?.trim() ?? "";
    if (raw.acceptRisk && reason.length < MIN_REASON_LENGTH) {
        problems.push({
            key: key("riskReason"),
            message: `acceptRisk: true needs a riskReason of at least ${MIN_REASON_LENGTH} characters saying why (it is shown in the posture table and to reviewers)`,
        });
        return undefined;
    }
    if (!raw.acceptRisk && reason !== "") {
        problems.push({ key: key("acceptRisk"), message: "riskReason is set but acceptRisk is not true; write acceptRisk: true or remove riskReason" });
    }
    return raw.acceptRisk ? reason : undefined;
}
