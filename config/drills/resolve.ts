/**
 * `qalita-dr:drills` resolved into DrSpec.drills. The PostgreSQL drill is on by default wherever
 * there is something to drill: PostgreSQL's dumps reach cold storage (elements.postgresql on).
 */
import type { Problem } from "../../contracts/problem";
import { configKey } from "../problems";
import { resolveSchedule } from "../schedule";
import type { DrillsSpec, ElementSpec } from "../spec";
import type { RawDrills } from "./schema";

/** Saturday 05:00 UTC: hours after the night's dump (02:00) reached cold storage, before the week's first. */
export const DEFAULT_DRILL_SCHEDULE = "0 5 * * 6";
export const DEFAULT_DRILL_SCRATCH_SIZE = "20Gi";

const key = (...path: string[]) => configKey(["drills", "postgresql", ...path]);

export function resolveDrills(raw: RawDrills | undefined, postgresql: ElementSpec): { spec: DrillsSpec; problems: Problem[] } {
    const config = raw?.postgresql ?? {};
    const problems: Problem[] = [];
    // The offsite copy runs exactly when the element is backed up: then cold storage holds its dumps.
    const dumpsExist = postgresql.enabled && postgresql.offsiteUtcCron !== undefined;
    const enabled = config.enabled ?? dumpsExist;
    if (enabled && !dumpsExist) {
        problems.push({
            key: key("enabled"),
            message:
                "PostgreSQL is not backed up (elements.postgresql.enabled: false): there is no dump to drill; remove drills.postgresql or enable the element",
        });
    }
    const schedule = resolveSchedule(
        config.schedule ?? DEFAULT_DRILL_SCHEDULE,
        config.timezone ?? "UTC",
        { schedule: key("schedule"), timezone: key("timezone") },
        problems,
    );
    const spec: DrillsSpec = {
        pushgatewayUrl: raw?.pushgatewayUrl,
        postgresql:
            enabled && dumpsExist && schedule
                ? { schedule, source: config.source ?? "cold", scratchSize: config.scratchSize ?? DEFAULT_DRILL_SCRATCH_SIZE }
                : undefined,
    };
    return { spec, problems };
}
