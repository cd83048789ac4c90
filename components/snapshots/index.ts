/**
 * VolumeSnapshot protection of QALITA's PVCs: snapscheduler (optionally installed), the
 * VolumeSnapshotClass (optionally created), one SnapshotSchedule per PVC set, and PVC restores.
 */
export { ElementSnapshots } from "./element-snapshots";
export type { ElementSnapshotsArgs } from "./element-snapshots";
export { VolumeSnapshots } from "./volume-snapshots";
export type { VolumeSnapshotsArgs } from "./volume-snapshots";
export { PvcRestore } from "./restore-pvc";
export type { PvcRestoreArgs } from "./restore-pvc";
