/**
 * Pure construction of snapscheduler `SnapshotSchedule` specs (snapscheduler.backube/v1) from an
 * element's DR spec, and which PVCs each element's schedule selects.
 */
import { ElementName } from "../../config/catalog";
import { ElementSpec } from "../../config/spec";
import { ELEMENT_LABEL } from "../labels";

export interface LabelSelector {
    readonly matchLabels?: Record<string, string>;
    readonly matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

export interface ElementClaims {
    readonly selector: LabelSelector;
    /** PVCs the chart creates without usable labels: the stack labels them (server-side apply). */
    readonly pvcsToLabel: readonly string[];
}

/** Which PVCs hold each element's state, with QALITA 2.11.6 / release `qalita` object names. */
export function elementClaims(element: ElementName, release: string): ElementClaims | undefined {
    switch (element) {
        case "s3":
            // Volume (blobs) and filer (metadata) PVCs; the master keeps its data on a hostPath.
            return {
                selector: {
                    matchLabels: { "app.kubernetes.io/name": "seaweedfs" },
                    matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["volume", "filer"] }],
                },
                pvcsToLabel: [],
            };
        case "agents":
            // The chart's worker store PVC carries no labels at all.
            return { selector: { matchLabels: { [ELEMENT_LABEL]: "agents" } }, pvcsToLabel: [`${release}-worker-store`] };
        case "redis":
            return { selector: { matchLabels: { "app.kubernetes.io/name": "redis" } }, pvcsToLabel: [] };
        default:
            return undefined;
    }
}

export interface SnapshotScheduleSpec {
    readonly schedule: string;
    readonly claimSelector: LabelSelector;
    readonly retention: { readonly expires: string; readonly maxCount: number };
    readonly snapshotTemplate: { readonly labels: Record<string, string>; readonly snapshotClassName?: string };
    readonly disabled: boolean;
}

/**
 * Retention is time-based (`expires`), with `maxCount` as a safety net sized so that it never
 * bites first — and never below 2: snapscheduler can otherwise delete the last ready snapshot
 * when new ones keep failing (backube/snapscheduler#688).
 */
export function snapshotScheduleSpec(spec: ElementSpec, claims: ElementClaims, labels: Record<string, string>, snapshotClassName?: string): SnapshotScheduleSpec {
    if (!spec.schedule || spec.retentionDays === undefined) throw new Error(`${spec.element} has no schedule to snapshot on`);
    const retentionHours = spec.retentionDays * 24;
    const maxCount = Math.max(2, Math.ceil(retentionHours / spec.schedule.intervalHours) + 1);
    return {
        schedule: spec.schedule.utcCron,
        claimSelector: claims.selector,
        retention: { expires: `${retentionHours}h`, maxCount },
        snapshotTemplate: { labels, ...(snapshotClassName ? { snapshotClassName } : {}) },
        disabled: false,
    };
}
