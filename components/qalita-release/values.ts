/**
 * The QALITA chart values this stack owns, as a pure function of the DR spec, composed from each
 * element's own: PostgreSQL's backup CronJob (components/postgresql/backup-values.ts), the worker's
 * store and settings (components/agents/worker-values.ts).
 */
import deepmerge from "deepmerge";
import { DrSpec } from "../../config/spec";
import { workerStoreValues, workerValues } from "../agents/worker-values";
import { postgresBackupValues } from "../postgresql/backup-values";
import { pitrReleaseValues } from "../postgresql/pitr/values";

/** The release's values: the user's (`releaseValues` config) under the stack's own. */
export function releaseValues(spec: DrSpec): Record<string, unknown> {
    // Helm replaces lists rather than merging them: so does this merge.
    const replaceLists = { arrayMerge: (_target: unknown[], source: unknown[]) => source };
    // workerValues folds the user's worker.deployment.extraEnv in, ours winning for QALITA_WORKER_*.
    // Point-in-time recovery's values (pg_hba, max_slot_wal_keep_size) only exist with it on: not owned paths.
    const stack = deepmerge.all([ownedValues(spec), workerValues(spec.agents, spec.userReleaseValues), pitrReleaseValues(spec)], replaceLists);
    return deepmerge(spec.userReleaseValues, stack, replaceLists);
}

/** Only keys under config/release-values.ts OWNED_VALUE_PATHS (a test checks it). */
export function ownedValues(spec: DrSpec): Record<string, unknown> {
    return { ...postgresBackupValues(spec.elements.postgresql, spec.postgresqlDump), ...workerStoreValues(spec.elements.agents) };
}
