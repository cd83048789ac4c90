/**
 * Pure: the PVC that restores a VolumeSnapshot, from the snapshot as the cluster reports it.
 * Refuses, with what to do instead, whatever would make a restore silently wrong or hang: a
 * snapshot not ready, one of another PVC set, a size below the snapshot's restoreSize.
 */
import { PvcRestoreSpec } from "../../config/spec";
import { drLabels, PVC_SET_LABEL, RESTORED_FROM_ANNOTATION } from "../../contracts/labels";
import { KnownClaim } from "../../contracts/snapshot-claims";

/** The parts of a snapshot.storage.k8s.io/v1 VolumeSnapshot the restore reads. */
export interface VolumeSnapshotState {
    readonly spec?: { readonly source?: { readonly persistentVolumeClaimName?: string; readonly volumeSnapshotContentName?: string } };
    readonly status?: { readonly readyToUse?: boolean; readonly restoreSize?: string; readonly error?: { readonly message?: string } };
}

export interface RestoreRequest extends PvcRestoreSpec {
    readonly namespace: string;
    readonly release: string;
    /** The set's PVCs (contracts/snapshot-claims.ts): what the snapshot may come from, and the labels to give back. */
    readonly known: readonly KnownClaim[];
}

export class RestoreError extends Error {}

export function restoredClaimObject(snapshot: VolumeSnapshotState, request: RestoreRequest) {
    const where = `VolumeSnapshot ${request.namespace}/${request.snapshot}`;
    if (snapshot.status?.readyToUse !== true) {
        const error = snapshot.status?.error?.message;
        throw new RestoreError(
            `${where} is not ready to use${error ? ` (${error})` : ""}; pick a ready one: kubectl -n ${request.namespace} get volumesnapshots -l ${PVC_SET_LABEL}=${request.pvcSet}`,
        );
    }
    const source = snapshot.spec?.source?.persistentVolumeClaimName;
    if (source && request.known.length > 0 && !request.known.some((claim) => claim.name === source)) {
        throw new RestoreError(
            `${where} is a snapshot of PVC ${source}, which is not in the ${request.pvcSet} set (${request.known.map((claim) => claim.name).join(", ")}); check restore.pvc.element and restore.pvc.snapshot`,
        );
    }
    const required = request.known.filter((claim) => !claim.optional);
    const originalName = source ?? (required.length === 1 ? required[0].name : undefined);
    const name = request.pvcName ?? (originalName ? `${originalName}-restored` : undefined);
    if (!name) throw new RestoreError(`${where} does not say which PVC it was taken from; set restore.pvc.pvcName`);
    const storage = restoredSize(where, snapshot.status.restoreSize, request.size);
    // Taking the original's name means replacing it: give back the labels its schedule selects
    // (and Helm's ownership marks for chart-made PVCs). Any other name stays out of the schedules.
    const original = request.known.find((claim) => claim.name === name);
    const helm = original?.createdBy === "helm";
    const labels: Record<string, string> = original
        ? { ...original.labels, ...original.patchLabels, ...(helm ? { "app.kubernetes.io/managed-by": "Helm" } : {}) }
        : drLabels({ action: "restore" });
    return {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
            name,
            namespace: request.namespace,
            labels,
            annotations: {
                [RESTORED_FROM_ANNOTATION]: request.snapshot,
                ...(helm ? { "meta.helm.sh/release-name": request.release, "meta.helm.sh/release-namespace": request.namespace } : {}),
            },
        },
        spec: {
            accessModes: [...request.accessModes],
            ...(request.storageClass ? { storageClassName: request.storageClass } : {}),
            resources: { requests: { storage } },
            dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: request.snapshot },
        },
    };
}

function restoredSize(where: string, restoreSize: string | undefined, requested: string | undefined): string {
    if (!restoreSize && !requested) throw new RestoreError(`${where} reports no restoreSize; set restore.pvc.size to at least the snapshotted volume's size`);
    if (restoreSize && requested && quantityBytes(requested) < quantityBytes(restoreSize)) {
        throw new RestoreError(
            `restore.pvc.size ${requested} is below the snapshot's restoreSize ${restoreSize}: the CSI driver would refuse the volume; write at least ${restoreSize}`,
        );
    }
    return requested ?? restoreSize!;
}

const SUFFIXES: Record<string, number> = {
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** A Kubernetes quantity ("8Gi", "500M", "1.5Ti", "1e9", "8589934592") in bytes. */
export function quantityBytes(quantity: string): number {
    const match = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:([eE][-+]?[0-9]+)|([kMGTPE]i?|Ki)?)$/.exec(quantity.trim());
    if (!match || (match[3] !== undefined && !(match[3] in SUFFIXES))) throw new RestoreError(`"${quantity}" is not a Kubernetes quantity`);
    const exponent = match[2] ? Number(match[2].slice(1)) : 0;
    return Number(match[1]) * 10 ** exponent * SUFFIXES[match[3] ?? ""];
}
