/**
 * Pure: what the VolumeSnapshot path gives each protected PVC set — RPO and expected RTO, for the
 * posture table — and the DR gaps it leaves, as warnings.
 */
import { ElementName, PvcSetName } from "../../contracts/elements";
import { SnapshotsSpec } from "../../config/snapshots-config";
import { PlannedSchedule } from "./plan";

export interface SnapshotPostureRow {
    readonly element: ElementName;
    readonly pvcSet: PvcSetName;
    readonly mechanism: "volume-snapshot";
    readonly schedule: string;
    /** Worst-case data loss restoring from the newest snapshot. */
    readonly rpoHours: number;
    readonly rto: string;
    readonly retentionDays: number;
    readonly restore: string;
}

export interface PostureWarning {
    /** Absent when the gap concerns every snapshot schedule. */
    readonly element?: ElementName;
    readonly message: string;
}

const CLONE_RTO = "minutes: CSI clone of a volume, whatever its size";

const RTO: Readonly<Record<PvcSetName, string>> = {
    s3: `${CLONE_RTO}; volume and filer restored together`,
    agents: `${CLONE_RTO}; then qalita worker login`,
    "postgresql-data": `${CLONE_RTO}, then WAL replay on start (crash-consistent)`,
    "postgresql-dump": `${CLONE_RTO}, then pg_restore of a dump (docs/restore.md)`,
    redis: CLONE_RTO,
};

/** Values overlay moving the SeaweedFS master's -mdir from a hostPath to a PVC (chart 4.0.380 `master.data`). */
export function seaweedfsMasterPvcValues(size = "1Gi", storageClass?: string) {
    return { seaweedfs: { master: { data: { type: "persistentVolumeClaim", size, ...(storageClass ? { storageClass } : {}) } } } };
}

export function snapshotPosture(schedules: readonly PlannedSchedule[], snapshots: Pick<SnapshotsSpec, "className" | "createdClass">): { rows: SnapshotPostureRow[]; warnings: PostureWarning[] } {
    const rows = schedules.map((planned): SnapshotPostureRow => ({
        element: planned.element,
        pvcSet: planned.pvcSet,
        mechanism: "volume-snapshot",
        schedule: planned.words,
        rpoHours: planned.timing.intervalHours + planned.dataLagHours,
        rto: RTO[planned.pvcSet],
        retentionDays: planned.timing.retentionDays,
        restore: `restore.pvc {element: ${planned.pvcSet}, snapshot} → docs/restore-pvc.md`,
    }));
    const warnings: PostureWarning[] = [];
    if (schedules.some((planned) => planned.pvcSet === "s3")) {
        warnings.push({
            element: "s3",
            message: "the SeaweedFS master keeps its -mdir (Raft state, cluster identity) on a hostPath of whichever node it runs on: no snapshot covers it. Move it to a PVC with the values overlay seaweedfs.master.data = { type: persistentVolumeClaim, size: 1Gi } — on an existing release the StatefulSet must be deleted with --cascade=orphan first (volumeClaimTemplates are immutable); the s3 schedule then selects the master PVC too",
        });
        warnings.push({
            element: "s3",
            message: "the volume and filer snapshots are taken separately, so they are not consistent with each other (filer entries may point at blobs a volume snapshot lacks); the offsite copy through the S3 API is object-consistent and is the copy to restore from after a partial loss",
        });
    }
    if (snapshots.createdClass?.deletionPolicy === "Retain") {
        warnings.push({ message: `class ${snapshots.createdClass.name} retains storage snapshots when snapscheduler expires their VolumeSnapshots: retention does not free storage; delete released VolumeSnapshotContents (kubectl get volumesnapshotcontents) or set snapshots.deletionPolicy: Delete` });
    }
    if (!snapshots.className && schedules.length > 0) {
        warnings.push({ message: "no VolumeSnapshotClass configured: the schedules use the cluster's default class; check that one carries snapshot.storage.kubernetes.io/is-default-class: \"true\", or set snapshots.className or snapshots.driver" });
    }
    return { rows, warnings };
}
