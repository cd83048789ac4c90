/** The freshness alerts of a test config, as index.ts builds them: every kind of path, unless told otherwise. */
import { monitoredPaths } from "../../components/monitoring/paths";
import { FreshnessAlert, freshnessAlerts } from "../../components/monitoring/rules-spec";
import { plannedSchedules } from "../../components/snapshots/plan";
import { DrSpec } from "../../config/spec";
import { resolveWithWorker } from "./config";

/**
 * Monitoring on, and a path of every kind and criticality: the dump (in local time), every offsite
 * copy, every snapshot set (redis's monthly one is low), the drill pushing its result.
 */
export const EVERY_PATH = {
    monitoring: { enabled: true },
    elements: { postgresql: { timezone: "Europe/Paris" }, redis: { enabled: true } },
    drills: { pushgatewayUrl: "http://prometheus-pushgateway.monitoring:9091" },
};

export function schedulesOf(spec: DrSpec) {
    return plannedSchedules({
        namespace: spec.namespace,
        release: spec.release,
        elements: spec.elements,
        snapshots: spec.snapshots,
        postgresqlDump: spec.postgresqlDump,
    });
}

export function alertsOf(spec: DrSpec): FreshnessAlert[] {
    return freshnessAlerts(monitoredPaths(spec, schedulesOf(spec)), spec.monitoring);
}

export function resolveMonitored(raw: Record<string, unknown> = EVERY_PATH): DrSpec {
    return resolveWithWorker(raw);
}
