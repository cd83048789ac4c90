/** Every rule of the pack, in one list the CrossGuard pack and the offline checker share. */
import { RuleDefinition } from "../lib/resources";
import { backupWriterCannotDelete } from "./backup-writer-cannot-delete";
import { backupsMonitored } from "./backups-monitored";
import { coldStorageHardened } from "./cold-storage-hardened";
import { coldStorageLifecycleComplete } from "./cold-storage-lifecycle-complete";
import { coldStorageLifecycleValid } from "./cold-storage-lifecycle-valid";
import { drPostureComplete } from "./dr-posture-complete";
import { postgresBackupEnabled } from "./postgres-backup-enabled";
import { qalitaSecretKeyPinned } from "./qalita-secret-key-pinned";
import { pvcSnapshotScheduled } from "./pvc-snapshot-scheduled";
import { snapshotRetentionSafe } from "./snapshot-retention-safe";
import { noCredentialFilesInBackups } from "./no-credential-files-in-backups";
import { workerAuthFromSecret } from "./worker-auth-from-secret";

export const RULES: readonly RuleDefinition[] = [
    drPostureComplete,
    postgresBackupEnabled,
    qalitaSecretKeyPinned,
    coldStorageHardened,
    coldStorageLifecycleValid,
    coldStorageLifecycleComplete,
    backupWriterCannotDelete,
    pvcSnapshotScheduled,
    snapshotRetentionSafe,
    noCredentialFilesInBackups,
    workerAuthFromSecret,
    backupsMonitored,
];
