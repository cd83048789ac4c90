/**
 * Pure: the posture of point-in-time recovery — its two paths, the archive PVC and its copy in
 * the bucket — with the RPO and RTO bench/pg-pitr.ts measured (docs/benchmarks.md › Point-in-time
 * recovery), not assumed. Shaped as components/posture.ts's PosturePath, which owns the rows.
 */
import { pitrName } from "../../../contracts/pitr";
import { formatHours } from "../../../config/schedule";
import type { DrSpec } from "../../../config/spec";

/**
 * bench/pg-pitr.ts on the project's 2-core machine, 2026-12-01 (docs/benchmarks.md › Point-in-time
 * recovery): what the receiver lost when the primary was killed under a write load, and what the
 * restore Job of a 1030 MiB database took.
 */
export const MEASURED = {
    /** Committed transactions missing from the archive after `pg_ctl stop -m immediate`: 0 of 2453 (and 0 of 2168). */
    rpoSeconds: 0,
    /** pg_verifybackup + copy of the base backup, per GiB of database: 1.9 s (from the page cache; ~5 s more from disk). */
    copySecondsPerGb: 2,
    /** Recovery up to the promotion, per GiB of WAL since the base backup: 15.5 s (1030 MiB database), 16.4 s (280 MiB). */
    replaySecondsPerGbWal: 16,
} as const;

/** What a confirmed commit can count on, with and without `pitr.synchronous`. */
const STREAM = {
    synchronous: "commits wait for the receiver's flush: no confirmed commit is lost",
    asynchronous: "commits never wait: the stream's lag is lost with the primary (none in the benchmark; pitr.synchronous guarantees it)",
};

/** 5 min, 2 h. */
const every = (hours: number) => (hours < 1 ? `${Math.round(hours * 60)} min` : formatHours(hours));

const RESTORE = "restore.postgresql {source: pitr, targetTime}";

export function pitrPosturePaths(spec: Pick<DrSpec, "postgresqlPitr" | "release" | "elements" | "coldStorage">) {
    const pitr = spec.postgresqlPitr;
    if (!pitr) return [];
    const element = spec.elements.postgresql;
    const cold = spec.coldStorage.elements.find((entry) => entry.element === "postgresql");
    const rto = `measured: ~${MEASURED.copySecondsPerGb} s per GiB of database (verify + copy, more from a cold disk) + ~${MEASURED.replaySecondsPerGbWal} s per GiB of WAL since the base backup (docs/benchmarks.md)`;
    const baseBackups = `base backups ${pitr.baseBackupSchedule.words}`;
    return [
        {
            mechanism: "pitr",
            schedule: `WAL streamed continuously (pg_receivewal --synchronous); ${pitr.synchronous ? STREAM.synchronous : STREAM.asynchronous}; ${baseBackups}`,
            // Synchronous: guaranteed. Otherwise the stream's lag, which the benchmark measured.
            rpoHours: pitr.synchronous ? 0 : MEASURED.rpoSeconds / 3600,
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
