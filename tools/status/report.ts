/**
 * The live status of a stack: every protection path judged against its budget at `now`, the last
 * restore drill with its measured RTO and RPO, and the elements nothing backs up. Pure: the paths
 * come from the config (stack-paths.ts), the objects from the cluster (observe.ts).
 */
import { budgetSeconds, MonitoredPath, WatchedObject } from "../../components/monitoring/paths";
import { formatHours } from "../../config/schedule";
import { ELEMENTS } from "../../contracts/elements";
import { drillFreshness, drillRpoSeconds, drillRtoSeconds, LastDrill, lastDrill } from "./drill-result";
import { cronJobFreshness, Freshness, snapshotScheduleFreshness } from "./freshness";
import type { Observed } from "./observe";
import type { StackPaths } from "./stack-paths";

export interface PathReport {
    readonly id: string;
    readonly element: string;
    readonly criticality: string;
    readonly mechanism: string;
    readonly title: string;
    readonly watches: WatchedObject;
    /** The stale alert's threshold: the path's longest expected gap plus its criticality's grace. */
    readonly budgetSeconds: number;
    /** "24 h between dumps + 60 min for a run, + 60 min grace". */
    readonly budgetWords: string;
    readonly freshness: Freshness;
}

export interface DrillReport {
    readonly element: string;
    readonly configMap: { readonly namespace: string; readonly name: string };
    readonly last: LastDrill;
    readonly rtoSeconds: number | null;
    readonly rpoSeconds: number | null;
}

export interface StatusReport {
    readonly stack: string;
    readonly checkedAt: Date;
    readonly paths: PathReport[];
    readonly drill?: DrillReport;
    readonly notBackedUp: StackPaths["notBackedUp"];
    /** Every path ok: `npm run status` exits 0. */
    readonly healthy: boolean;
}

const SNAPSCHEDULER_MISSING =
    "the API server has no SnapshotSchedule resource: snapscheduler is not installed (snapshots.installOperator: true installs it; docs/monitoring.md#missing)";

export function statusReport(stack: StackPaths, observed: Observed, now: Date): StatusReport {
    const drill = drillReport(stack, observed);
    // Grouped by element, in the posture's order: monitoredPaths lists the snapshots after every copy.
    const byElement = [...stack.paths].sort((a, b) => ELEMENTS.indexOf(a.element) - ELEMENTS.indexOf(b.element));
    const paths = byElement.map((path): PathReport => {
        const budget = budgetSeconds(path);
        return {
            id: path.id,
            element: path.element,
            criticality: path.criticality,
            mechanism: path.mechanism,
            title: path.title,
            watches: path.watches,
            budgetSeconds: budget,
            budgetWords: `${path.gapWords}, + ${formatHours(path.graceMinutes / 60)} grace`,
            freshness: judge(path, budget, observed, now, drill),
        };
    });
    return { stack: stack.stack, checkedAt: now, paths, drill, notBackedUp: stack.notBackedUp, healthy: paths.every((path) => path.freshness.status === "ok") };
}

function judge(path: MonitoredPath, budget: number, observed: Observed, now: Date, drill: DrillReport | undefined): Freshness {
    const { kind, namespace, name } = path.watches;
    const named = <T extends { namespace: string; name: string }>(objects: readonly T[]) =>
        objects.find((object) => object.namespace === namespace && object.name === name);
    if (kind === "SnapshotSchedule") {
        if (observed.snapshotScheduleCrdMissing) return { status: "missing", detail: SNAPSCHEDULER_MISSING };
        return snapshotScheduleFreshness(path.watches, named(observed.snapshotSchedules), budget, now);
    }
    const freshness = cronJobFreshness(path.watches, named(observed.cronJobs), observed.jobs, budget, now);
    return path.mechanism === "restore-drill" && drill ? drillFreshness(freshness, drill.last) : freshness;
}

function drillReport(stack: StackPaths, observed: Observed): DrillReport | undefined {
    const path = stack.paths.find((candidate) => candidate.mechanism === "restore-drill");
    if (!path || !stack.drillStatus) return undefined;
    const last = lastDrill(observed.drillConfigMap, stack.drillStatus, path.element);
    return {
        element: path.element,
        configMap: stack.drillStatus,
        last,
        rtoSeconds: "result" in last ? drillRtoSeconds(last.result) : null,
        rpoSeconds: "result" in last ? drillRpoSeconds(last.result) : null,
    };
}
