/**
 * SnapshotSchedules (snapscheduler.backube/v1) as the snapshot rules need them: namespace,
 * selector, cadence and retention — each value read, found invalid, or unknown during preview.
 */
import { maxIntervalHours, parseSchedule } from "../../contracts/schedule";
import { LabelSelector } from "../../contracts/snapshot-claims";
import { PVC_SET_LABEL } from "../../contracts/labels";
import { Known as Maybe, known, UNKNOWN } from "./plan-values";
import { PlanResource, UNKNOWN_SENTINEL } from "../../contracts/preview";

export const SNAPSHOT_SCHEDULE_TYPE = "kubernetes:snapscheduler.backube/v1:SnapshotSchedule";
export const PVC_PATCH_TYPE = "kubernetes:core/v1:PersistentVolumeClaimPatch";

/** The value at `path`, UNKNOWN when it (or anything in it) is unknown during preview. */
export function field(root: unknown, path: readonly string[]): Maybe<unknown> {
    return known(() =>
        path.reduce<any>((value, part) => (typeof value === "object" && value !== null ? value[part] : value === UNKNOWN_SENTINEL ? value : undefined), root),
    );
}

export type Cadence = { readonly cron: string; readonly intervalHours: number } | { readonly problem: string };

export interface ScheduleView {
    readonly urn: string;
    readonly name: string;
    /** Undefined when not set: the Kubernetes provider's default namespace applies. */
    readonly namespace: Maybe<string | undefined>;
    readonly disabled: Maybe<boolean>;
    /** Undefined: no claimSelector, every PVC of the namespace. */
    readonly selector: Maybe<LabelSelector | undefined>;
    readonly cadence: Maybe<Cadence>;
    readonly maxCount: Maybe<unknown>;
    readonly expires: Maybe<unknown>;
    /** The stack's `dr.qalita.io/pvc-set` label, when the schedule is one of ours. */
    readonly pvcSet?: string;
    /** Paths that were unknown during preview. */
    readonly unknown: readonly string[];
}

export function snapshotSchedules(resources: readonly PlanResource[]): ScheduleView[] {
    return resources
        .filter((resource) => resource.type === SNAPSHOT_SCHEDULE_TYPE)
        .map((resource) => {
            const unknown: string[] = [];
            const read = (...path: string[]) => {
                const value = field(resource.props, path);
                if (value === UNKNOWN) unknown.push(path.join("."));
                return value;
            };
            const name = read("metadata", "name");
            const namespace = read("metadata", "namespace");
            const schedule = read("spec", "schedule");
            const labels = read("metadata", "labels");
            const pvcSet = labels !== UNKNOWN && typeof labels === "object" && labels !== null ? (labels as Record<string, unknown>)[PVC_SET_LABEL] : undefined;
            return {
                urn: resource.urn,
                name: typeof name === "string" ? name : resource.urn.split("::").pop()!,
                namespace: namespace === UNKNOWN || namespace === undefined ? namespace : String(namespace),
                disabled: ((value) => (value === UNKNOWN ? UNKNOWN : value === true))(read("spec", "disabled")),
                selector: read("spec", "claimSelector") as Maybe<LabelSelector | undefined>,
                cadence: schedule === UNKNOWN ? UNKNOWN : cadenceOf(schedule),
                maxCount: read("spec", "retention", "maxCount"),
                expires: read("spec", "retention", "expires"),
                pvcSet: typeof pvcSet === "string" ? pvcSet : undefined,
                unknown,
            };
        });
}

function cadenceOf(schedule: unknown): Cadence {
    if (typeof schedule !== "string") return { problem: "spec.schedule is not set" };
    const parsed = parseSchedule(schedule);
    return parsed.ok ? { cron: parsed.cron, intervalHours: maxIntervalHours(parsed.cron) } : { problem: `spec.schedule: ${parsed.message}` };
}

/** Labels the stack puts on PVCs it does not own, by namespace/name. */
export function patchedPvcLabels(resources: readonly PlanResource[]): Map<string, Record<string, string>> {
    const patched = new Map<string, Record<string, string>>();
    for (const resource of resources.filter((r) => r.type === PVC_PATCH_TYPE)) {
        const metadata = field(resource.props, ["metadata"]);
        if (metadata === UNKNOWN || typeof metadata !== "object" || metadata === null) continue;
        const { name, namespace, labels } = metadata as { name?: unknown; namespace?: unknown; labels?: Record<string, string> };
        const key = `${String(namespace)}/${String(name)}`;
        patched.set(key, { ...patched.get(key), ...labels });
    }
    return patched;
}
