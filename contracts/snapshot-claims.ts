/**
 * Which PVCs hold each PVC set's state, and how a schedule selects them, for QALITA 2.11.6: what
 * the stack's schedules select and what the policy pack expects them to. Checked upstream:
 * - the StatefulSet controller copies the StatefulSet's selector labels onto the PVCs it creates,
 *   so Bitnami postgresql 12.12.10's primary data PVC carries name=postgresql, instance=<release>,
 *   component=primary, and SeaweedFS 4.0.380's carry name=seaweedfs, component=volume|filer;
 * - Bitnami's backup PVC `<release>-postgresql-pgdumpall` carries the chart's standard labels and
 *   component=pg_dumpall (templates/backup/pvc.yaml);
 * - QALITA's templates/worker-pvc.yaml names the worker store literally `qalita-worker-store`
 *   (not release-derived) and gives it no labels: the stack labels it.
 */
import { PVC_SET_ELEMENT, PvcSetName } from "./elements";
import { drLabels } from "./labels";
import { dumpClaimName, postgresqlDataClaimName, WORKER_STORE_PVC } from "./qalita-chart";

export interface LabelSelector {
    readonly matchLabels?: Record<string, string>;
    readonly matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

/**
 * A user's replacement of one PVC set's selector (`qalita-dr:snapshots.pvcLabels.<set>`): the
 * PVCs' own labels, or PVCs the stack labels. The config checks what was written.
 */
export interface PvcSelection {
    readonly matchLabels?: Record<string, string>;
    readonly pvcNames?: readonly string[];
}

export interface KnownClaim {
    readonly pvcSet: PvcSetName;
    readonly name: string;
    /** Labels the chart (or the StatefulSet controller) gives the PVC. */
    readonly labels: Record<string, string>;
    /** Labels the stack adds with a PersistentVolumeClaimPatch. */
    readonly patchLabels?: Record<string, string>;
    /** helm: a chart template owns it; statefulset: a volumeClaimTemplate does (helm never touches it). */
    readonly createdBy: "helm" | "statefulset";
    /** Exists only after an opt-in values change (the SeaweedFS master on a PVC). */
    readonly optional?: true;
}

export interface ElementClaims {
    readonly selector: LabelSelector;
    /** PVCs the chart creates without usable labels: the stack labels them (server-side apply). */
    readonly pvcsToLabel: readonly string[];
    /** The labels put on `pvcsToLabel`. */
    readonly patchLabels: Record<string, string>;
    /** The PVCs expected to match, when known (none with a matchLabels override). */
    readonly known: readonly KnownClaim[];
}

const bitnami = (release: string, component: string) => ({
    "app.kubernetes.io/name": "postgresql",
    "app.kubernetes.io/instance": release,
    "app.kubernetes.io/component": component,
});
const seaweedfs = (component: string) => ({ "app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/component": component });
/** Labels the stack puts on a chart's PVC (not part of qalita-dr: the chart owns it), and selects it by. */
const stackLabels = (set: PvcSetName) => drLabels({ element: PVC_SET_ELEMENT[set], pvcSet: set }, { partOf: false });

/** Every PVC of QALITA 2.11.6 the DR stack protects (redis: none in this chart version). */
export function chartClaims(release: string, namespace: string): KnownClaim[] {
    return [
        { pvcSet: "s3", name: "data1-seaweedfs-volume-0", labels: seaweedfs("volume"), createdBy: "statefulset" },
        { pvcSet: "s3", name: "data-filer-seaweedfs-filer-0", labels: seaweedfs("filer"), createdBy: "statefulset" },
        // master.data.type: persistentVolumeClaim names its volumeClaimTemplate data-<namespace>.
        { pvcSet: "s3", name: `data-${namespace}-seaweedfs-master-0`, labels: seaweedfs("master"), createdBy: "statefulset", optional: true },
        { pvcSet: "agents", name: WORKER_STORE_PVC, labels: {}, patchLabels: stackLabels("agents"), createdBy: "helm" },
        { pvcSet: "postgresql-data", name: postgresqlDataClaimName(release), labels: bitnami(release, "primary"), createdBy: "statefulset" },
        { pvcSet: "postgresql-dump", name: dumpClaimName(release), labels: bitnami(release, "pg_dumpall"), createdBy: "helm" },
    ];
}

/** The selector of one PVC set: the chart's defaults, or the user's override. */
export function pvcSetClaims(set: PvcSetName, release: string, namespace: string, override?: PvcSelection): ElementClaims {
    if (override?.matchLabels) return { selector: { matchLabels: { ...override.matchLabels } }, pvcsToLabel: [], patchLabels: {}, known: [] };
    if (override?.pvcNames) {
        const labels = stackLabels(set);
        const known = override.pvcNames.map((name): KnownClaim => ({ pvcSet: set, name, labels: {}, patchLabels: labels, createdBy: "helm" }));
        return { selector: { matchLabels: labels }, pvcsToLabel: [...override.pvcNames], patchLabels: labels, known };
    }
    const known = chartClaims(release, namespace).filter((claim) => claim.pvcSet === set);
    switch (set) {
        case "s3":
            // Volume (blobs), filer (metadata) and, once moved off its hostPath, the master.
            return {
                selector: {
                    matchLabels: { "app.kubernetes.io/name": "seaweedfs" },
                    matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["volume", "filer", "master"] }],
                },
                pvcsToLabel: [],
                patchLabels: {},
                known,
            };
        case "agents":
            return { selector: { matchLabels: stackLabels("agents") }, pvcsToLabel: [WORKER_STORE_PVC], patchLabels: stackLabels("agents"), known };
        case "postgresql-data":
            return { selector: { matchLabels: bitnami(release, "primary") }, pvcsToLabel: [], patchLabels: {}, known };
        case "postgresql-dump":
            return { selector: { matchLabels: bitnami(release, "pg_dumpall") }, pvcsToLabel: [], patchLabels: {}, known };
        case "redis":
            return { selector: { matchLabels: { "app.kubernetes.io/name": "redis" } }, pvcsToLabel: [], patchLabels: {}, known };
    }
}

/** Kubernetes label-selector semantics (an empty selector selects every PVC). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
    const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    return (
        byLabels &&
        (selector.matchExpressions ?? []).every((expression) => {
            const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
            switch (expression.operator) {
                case "In":
                    return has && (expression.values ?? []).includes(labels[expression.key]);
                case "NotIn":
                    return !has || !(expression.values ?? []).includes(labels[expression.key]);
                case "Exists":
                    return has;
                case "DoesNotExist":
                    return !has;
            }
        })
    );
}
