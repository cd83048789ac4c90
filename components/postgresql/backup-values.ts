/**
 * Pure: PostgreSQL's part of the QALITA release values — Bitnami postgresql 12.12.10's backup
 * CronJob (the subchart of QALITA 2.11.6), running our dump. Every key set here exists in
 * Bitnami's values; a test checks that against the upstream values file.
 */
import { STARTING_DEADLINE_HOURS } from "../../config/dump-timing";
import { DrSpec, ElementSpec } from "../../config/spec";
import { readScript } from "../scripts";
import { inlineBashCommand } from "./inline-command";

/** Bitnami's default is `Allow`: two overlapping dumps of a slow database compete for I/O. */
const CONCURRENCY_POLICY = "Forbid";
/** A run missed during a control-plane outage still happens (the posture's RPO counts the delay). */
const STARTING_DEADLINE_SECONDS = STARTING_DEADLINE_HOURS * 3600;

/** `postgresql.backup`, enabled with our dump on the element's schedule; nothing when the element is off or unscheduled. */
export function postgresBackupValues(postgresql: ElementSpec, dump: DrSpec["postgresqlDump"]): Record<string, unknown> {
    if (!postgresql.enabled || !postgresql.schedule) return {};
    return {
        postgresql: {
            backup: {
                enabled: true,
                cronjob: {
                    // The chart has no timeZone key: the CronJob controller reads this in UTC.
                    schedule: postgresql.schedule.utcCron,
                    concurrencyPolicy: CONCURRENCY_POLICY,
                    startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
                    // Failed runs are kept for diagnosis.
                    failedJobsHistoryLimit: 3,
                    successfulJobsHistoryLimit: 3,
                    // Our dump (scripts/dump.sh) instead of plain pg_dumpall:
                    // parallel, compressed, checksummed, atomic, pruned.
                    command: inlineBashCommand(readScript("postgresql", "dump.sh"), {
                        DR_KEEP_DAYS: dump.keepDays,
                        DR_KEEP_MIN: dump.keepMin,
                        DR_DUMP_JOBS: dump.jobs,
                    }),
                    storage: {
                        // Keep the dumps if the release is uninstalled: that is when they matter.
                        resourcePolicy: "keep",
                        size: dump.storageSize,
                        ...(dump.storageClass ? { storageClass: dump.storageClass } : {}),
                    },
                },
            },
        },
    };
}
