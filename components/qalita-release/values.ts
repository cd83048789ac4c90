/**
 * The QALITA chart values this stack owns, as a pure function of the DR spec. Every key set under
 * `postgresql.backup` exists in Bitnami postgresql 12.12.10's values (the subchart of QALITA
 * 2.11.6); a test checks that against the upstream values file.
 */
import deepmerge from "deepmerge";
import { STARTING_DEADLINE_HOURS } from "../../config/dump-timing";
import { DrSpec } from "../../config/spec";
import { workerValues } from "../agents/worker-values";
import { inlineBashCommand, readScript } from "../postgresql/inline-command";

/** Bitnami's default is `Allow`: two overlapping dumps of a slow database compete for I/O. */
const CONCURRENCY_POLICY = "Forbid";
/** A run missed during a control-plane outage still happens (the posture's RPO counts the delay). */
const STARTING_DEADLINE_SECONDS = STARTING_DEADLINE_HOURS * 3600;

/** The release's values: the user's (`releaseValues` config) under the stack's own. */
export function releaseValues(spec: DrSpec): Record<string, unknown> {
    // Helm replaces lists rather than merging them: so does this merge.
    const replaceLists = { arrayMerge: (_target: unknown[], source: unknown[]) => source };
    // workerValues folds the user's worker.deployment.extraEnv in, ours winning for QALITA_WORKER_*.
    return deepmerge(spec.userReleaseValues, deepmerge(ownedValues(spec), workerValues(spec.agents, spec.userReleaseValues), replaceLists), replaceLists);
}

/** Only keys under config/release-values.ts OWNED_VALUE_PATHS (a test checks it). */
export function ownedValues(spec: DrSpec): Record<string, unknown> {
    const dump = spec.postgresqlDump;
    const postgresql = spec.elements.postgresql;
    const values: Record<string, unknown> = {};
    if (postgresql.enabled && postgresql.schedule) {
        values.postgresql = {
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
                    // Our dump (components/postgresql/scripts/dump.sh) instead of plain pg_dumpall:
                    // parallel, compressed, checksummed, atomic, pruned.
                    command: inlineBashCommand(readScript("dump.sh"), {
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
        };
    }
    if (spec.elements.agents.enabled) {
        // ~/.qalita (sources, job results) must survive pod restarts to be worth backing up.
        values.worker = { pvc: { enabled: true } };
    }
    return values;
}
