/**
 * What a stack deploys to protect each element, from its config alone — no Pulumi program run,
 * no cluster: the protection paths the freshness alerts watch, with their objects and budgets
 * (components/monitoring/paths.ts), the drill's status ConfigMap, and the elements nothing backs
 * up (the posture, components/posture.ts). The same pure functions index.ts composes.
 */
import { MonitoredPath, monitoredPaths } from "../../components/monitoring/paths";
import { buildPosture } from "../../components/posture";
import { plannedSchedules } from "../../components/snapshots/plan";
import { resolveStack } from "../../config/from-pulumi";
import type { Criticality, ElementName } from "../../contracts/elements";
import { drillStatusConfigMapName } from "../../contracts/names";
import { loadStackConfig } from "../plan/stack-config";

export interface StackPaths {
    readonly stack: string;
    readonly paths: MonitoredPath[];
    /** The ConfigMap the drill writes its result to, when the stack deploys a drill. */
    readonly drillStatus?: { readonly namespace: string; readonly name: string };
    readonly notBackedUp: { readonly element: ElementName; readonly criticality: Criticality; readonly why: string }[];
}

/** Throws StackConfigError (no or unreadable stack file) or ConfigError (every invalid key), as the plan does. */
export function stackPaths(projectDir: string, stack: string, configDir: string): StackPaths {
    const spec = resolveStack(loadStackConfig(projectDir, stack, configDir).values, stack);
    const schedules = plannedSchedules(spec);
    const paths = monitoredPaths(spec, schedules);
    const drill = paths.find((path) => path.mechanism === "restore-drill");
    return {
        stack,
        paths,
        drillStatus: drill && { namespace: drill.watches.namespace, name: drillStatusConfigMapName(spec.release) },
        notBackedUp: buildPosture(spec, schedules)
            .rows.filter((row) => row.paths.length === 0)
            .map((row) => ({
                element: row.element,
                criticality: row.criticality as Criticality,
                why: row.acceptedRisk ? `${row.schedule}, risk accepted: ${row.acceptedRisk}` : row.schedule,
            })),
    };
}
