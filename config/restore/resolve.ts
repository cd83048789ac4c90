/**
 * `qalita-dr:restore.postgresql` and `restore.pvc` resolved into DrSpec.restore (restore.agents
 * is resolved with the agents, agents/resolve.ts: the worker's values depend on it).
 */
import type { DrSpec, PostgresqlRestoreSpec, PvcRestoreSpec } from "../spec";
import type { RawRestore } from "./schema";

export function resolveRestore(raw: RawRestore | undefined): DrSpec["restore"] {
    return { pvc: resolvePvcRestore(raw?.pvc), postgresql: resolvePostgresqlRestore(raw?.postgresql) };
}

export function resolvePvcRestore(raw: RawRestore["pvc"]): PvcRestoreSpec | undefined {
    if (!raw) return undefined;
    return {
        pvcSet: raw.element,
        snapshot: raw.snapshot,
        pvcName: raw.pvcName,
        storageClass: raw.storageClass,
        accessModes: raw.accessModes ?? ["ReadWriteOnce"],
        size: raw.size,
    };
}

/** A dump restore; a point-in-time one (source pitr) is pitr-restore.ts's. */
export function resolvePostgresqlRestore(raw: RawRestore["postgresql"]): PostgresqlRestoreSpec | undefined {
    if (!raw || raw.source === "pitr" || raw.from === undefined) return undefined;
    return {
        from: raw.from,
        source: raw.source,
        jobs: raw.jobs ?? 2,
        replace: raw.replace ?? false,
        scratchSize: raw.scratchSize ?? "20Gi",
    };
}
