/**
 * `qalita-dr:snapshots` resolved into the SnapshotsSpec the VolumeSnapshots component is built
 * from: the class, the operator, the PostgreSQL data snapshot's schedule, the selector overrides.
 */
import type { Problem } from "../../contracts/problem";
import { ElementName, MAX_INTERVAL_HOURS } from "../../contracts/elements";
import { CATALOG } from "../catalog";
import { configKey } from "../problems";
import { resolveSchedule, retentionProblems } from "../schedule";
import type { ElementSpec, ScheduleSpec, SnapshotsSpec } from "../spec";
import type { RawSnapshots } from "./schema";

/** The class the stack creates when `driver` is set. */
export const SNAPSHOT_CLASS_NAME = "qalita-dr-snapclass";
/** backube/snapscheduler helm/snapscheduler/Chart.yaml `version` (CHANGELOG: 3.5.0, 2025-05-14). */
export const SNAPSCHEDULER_CHART_VERSION = "3.5.0";
/** Upstream's recommended namespace (docs/install.md): one operator serves the whole cluster. */
export const SNAPSCHEDULER_NAMESPACE = "backube-snapscheduler";

const key = (...path: string[]) => configKey(["snapshots", ...path]);

export function resolveSnapshots(
    raw: RawSnapshots | undefined,
    inputs: { readonly elements: Readonly<Record<ElementName, ElementSpec>> },
): { spec: SnapshotsSpec; problems: Problem[] } {
    const config = raw ?? {};
    const problems: Problem[] = [];
    if (config.className && config.driver) {
        problems.push({
            key: key("driver"),
            message: `className "${config.className}" names an existing VolumeSnapshotClass and driver makes the stack create "${SNAPSHOT_CLASS_NAME}": keep one of them (neither: the cluster's default class)`,
        });
    }
    for (const field of ["deletionPolicy", "parameters"] as const) {
        if (config[field] !== undefined && !config.driver)
            problems.push({
                key: key(field),
                message: `${field} only applies to the class the stack creates: set driver too, or remove ${field} (an existing class keeps its own)`,
            });
    }
    if (config.operatorVersion && !config.installOperator)
        problems.push({
            key: key("operatorVersion"),
            message: "operatorVersion only applies with installOperator: true; remove it, or set installOperator: true",
        });
    for (const [set, selection] of Object.entries(config.pvcLabels ?? {})) {
        if (!selection || (selection.matchLabels === undefined) !== (selection.pvcNames === undefined)) continue;
        problems.push({
            key: key("pvcLabels", set),
            message: "write either matchLabels (the PVCs' own labels) or pvcNames (PVCs the stack labels), not both or neither",
        });
    }
    const data = config.postgresqlData ?? {};
    const expression = data.schedule ?? "0 * * * *";
    const schedule = resolveSchedule(
        expression,
        data.timezone ?? "UTC",
        { schedule: key("postgresqlData", "schedule"), timezone: key("postgresqlData", "timezone") },
        problems,
    );
    const retentionDays = data.retentionDays ?? 2;
    if (schedule) {
        problems.push(...dataIntervalProblems(expression, schedule));
        problems.push(...retentionProblems(retentionDays, schedule, key("postgresqlData", "retentionDays"), "snapshots"));
    }
    const spec: SnapshotsSpec = {
        className: config.driver ? SNAPSHOT_CLASS_NAME : config.className,
        createdClass: config.driver
            ? { name: SNAPSHOT_CLASS_NAME, driver: config.driver, deletionPolicy: config.deletionPolicy ?? "Retain", parameters: config.parameters ?? {} }
            : undefined,
        operator: config.installOperator
            ? { chartVersion: config.operatorVersion ?? SNAPSCHEDULER_CHART_VERSION, namespace: SNAPSCHEDULER_NAMESPACE }
            : undefined,
        postgresqlData: { enabled: data.enabled ?? inputs.elements.postgresql.enabled, schedule, retentionDays },
        selections: config.pvcLabels ?? {},
    };
    return { spec, problems };
}

/** The data snapshots are bounded by PostgreSQL's criticality (at most 24 h between snapshots), like its dumps. */
function dataIntervalProblems(expression: string, schedule: ScheduleSpec): Problem[] {
    const limit = MAX_INTERVAL_HOURS[CATALOG.postgresql.criticality]!;
    if (schedule.intervalHours <= limit) return [];
    return [
        {
            key: key("postgresqlData", "schedule"),
            message: `"${expression}" leaves up to ${schedule.intervalHours} h between snapshots of PostgreSQL's data, which is critical: at most ${limit} h; write e.g. "0 * * * *" (hourly), or enabled: false`,
        },
    ];
}
