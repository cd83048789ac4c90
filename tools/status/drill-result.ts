/**
 * The last restore drill's result as the drill leaves it in its status ConfigMap
 * (contracts/names.ts `drillStatusConfigMapName`; data key: the element; value: the `DRILL_RESULT`
 * JSON of components/postgresql/scripts/drill.sh, docs/drills.md › What it measures), and what it
 * says of the drill's path. Pure.
 */
import type { Freshness } from "./freshness";

/** `null`: not measured, the drill stopped earlier. */
export interface DrillResult {
    readonly outcome: "success" | "failure";
    readonly source?: string;
    readonly dumpId: string | null;
    readonly dumpAgeSeconds: number | null;
    readonly downloadSeconds: number | null;
    readonly restoreSeconds: number | null;
    readonly bytes: number | null;
    readonly tables: number | null;
    readonly mismatches: number | null;
    readonly amcheckErrors: number | null;
    readonly pushed?: boolean | null;
    readonly reason: string | null;
}

/** The result, or why there is none to show. */
export type LastDrill = { readonly result: DrillResult } | { readonly none: string };

export function lastDrill(configMap: any | undefined, where: { namespace: string; name: string }, element: string): LastDrill {
    const object = `ConfigMap ${where.namespace}/${where.name}`;
    if (!configMap) return { none: `no ${object}: no drill has finished yet, or the drill may not write it (its Role)` };
    const text = configMap.data?.[element];
    if (typeof text !== "string") return { none: `${object} has no ${element} key: no ${element} drill has finished yet` };
    let result: any;
    try {
        result = JSON.parse(text);
    } catch (error) {
        return { none: `${object} key ${element} is not the drill's JSON: ${(error as Error).message}` };
    }
    if (result?.outcome !== "success" && result?.outcome !== "failure") return { none: `${object} key ${element} has no outcome (success or failure)` };
    return { result };
}

/** The measured RTO of the data: download plus restore (add pod scheduling); null when the drill restored nothing. */
export function drillRtoSeconds(result: DrillResult): number | null {
    if (typeof result.restoreSeconds !== "number") return null;
    // The drill measures to the millisecond: no floating-point tail beyond.
    return Math.round(((result.downloadSeconds ?? 0) + result.restoreSeconds) * 1000) / 1000;
}

/** The RPO as it stands at drill time: how old the newest dump was. */
export function drillRpoSeconds(result: DrillResult): number | null {
    return result.dumpAgeSeconds;
}

/**
 * A drill that failed its checks makes its path failing whatever its CronJob says: the dumps may
 * not be restorable. A missing or suspended CronJob stays what it is (nothing will run again).
 */
export function drillFreshness(cronJob: Freshness, drill: LastDrill): Freshness {
    if (!("result" in drill) || drill.result.outcome !== "failure" || cronJob.status === "missing" || cronJob.status === "suspended") return cronJob;
    const reason = `last drill failed: ${drill.result.reason ?? "no reason given"}`;
    return { ...cronJob, status: "failing", detail: `${reason}; ${cronJob.status === "failing" ? cronJob.detail : "docs/drills.md#when-it-fails"}` };
}
