/**
 * Pure: the posture of point-in-time recovery — its two paths, the archive PVC and its copy in
 * the bucket — with the RPO and RTO bench/pg-pitr.ts measured (docs/benchmarks.md › Point-in-time
 * recovery), not assumed. Shaped as components/posture.ts's PosturePath, which owns the rows.
 */
import { pitrName } from "../../../contracts/pitr";
import { formatHours } from "../../../config/schedule";
import type { DrSpec } from "../../../config/spec";

/**
 * bench/pg-pitr.ts on the project's 2-core machine (docs/benchmarks.md): what the receiver lost
 * when the primary was killed under a write load, and what a restore of ~1 GB took.
 */
export const MEASURED = {
    /** Committed transactions missing from the archive after `pg_ctl stop -m immediate`: none in every run. */
    rpoSeconds: 0,
    /** Base backup copied into place and recovery started, per GB of database. */
    restoreSecondsPerGb: 60,
    /** WAL replay, per GB of WAL since the base backup. */
    replaySecondsPerGbWal: 60,
} as const;

/** 5 min, 2 h. */
const every = (hours: number) => (hours < 1 ? `${Math.round(hours * 60)} min` : formatHours(hours));

const RESTORE = "restore.postgresql {source: pitr, targetTime}";

export function pitrPosturePaths(spec: Pick<DrSpec, "postgresqlPitr" | "release" | "elements" | "coldStorage">) {
    const pitr = spec.postgresqlPitr;
    if (!pitr) return [];
    const element = spec.elements.postgresql;
    const cold = spec.coldStorage.elements.find((entry) => entry.element === "postgresql");
    const rto = `~${Math.round(MEASURED.restoreSecondsPerGb / 60)} min per GB of database + ~${Math.round(MEASURED.replaySecondsPerGbWal / 60)} min per GB of WAL since the base backup (docs/benchmarks.md)`;
    const baseBackups = `base backups ${pitr.baseBackupSchedule.words}`;
    return [
        {
            mechanism: "pitr",
            schedule: `WAL streamed continuously (pg_receivewal --synchronous); ${baseBackups}`,
            rpoHours: MEASURED.rpoSeconds / 3600,
            rto: `${rto}; to any instant since the oldest kept base backup`,
            retentionDays: Math.floor((pitr.keepBaseBackups * pitr.baseBackupSchedule.intervalHours) / 24),
            destination: `PVC ${pitrName(spec.release)} (WAL + ${pitr.keepBaseBackups} base backups)`,
            restore: `${RESTORE} → PITR restore Job (docs/pitr.md)`,
        },
        {
            mechanism: "pitr-offsite",
            schedule: `every ${every(pitr.copyIntervalHours)} ("${pitr.copyUtcCron}" UTC): WAL in order, the segment being received, new base backups`,
            rpoHours: pitr.copyIntervalHours,
            rto: `the download, then ${rto}`,
            retentionDays: element.retentionDays ?? 0,
            destination: `s3://${spec.coldStorage.bucketName}/${pitr.coldStoragePrefix}${cold ? ` (${cold.tieringWords})` : ""}`,
            restore: `${RESTORE}, archive: cold → PITR restore Job (docs/pitr.md)`,
        },
    ];
}
