/**
 * `qalita-dr:restore`: the one-shot restores as users write them — set, run `pulumi up`, follow the
 * runbook, then unset. Their resolution: resolve.ts (restore.agents: agents/resolve.ts, whose
 * AgentsSpec carries it to the worker's values).
 */
import { z } from "zod";
import { PVC_SETS } from "../../contracts/elements";
import { objectName, quantity } from "../schema-parts";
import { pitrTargetTime } from "./pitr-target";
import { ACCESS_MODES } from "../spec";

/**
 * `restore.postgresql`: a dump restored by a Job (docs/restore.md), or — `source: pitr` — the
 * database brought back to a point in time from the WAL archive (docs/pitr.md; pitr-restore.ts
 * checks which keys go with which source).
 */
export const postgresqlRestoreSchema = z.strictObject({
    /** Dump id (e.g. 20261124T020000Z) or "latest"; sources pvc and cold. */
    from: z
        .string()
        .regex(/^(latest|[0-9]{8}T[0-9]{6}Z)$/, { error: 'write a dump id like "20261124T020000Z" or "latest"' })
        .optional(),
    /** Where the dump is read from, or pitr: a point in time from the WAL archive. */
    source: z.enum(["pvc", "cold", "pitr"], {
        error: "write pvc (the dump PVC), cold (the cold-storage bucket) or pitr (a point in time from the WAL archive)",
    }),
    /** source pitr: the point in time, RFC 3339 with its offset, or "latest" (every WAL record there is). */
    targetTime: pitrTargetTime.optional(),
    /** source pitr: where the base backup and WAL are read from. @default "pvc" (the archive PVC) */
    archive: z.enum(["pvc", "cold"], { error: "write pvc (the archive PVC) or cold (the cold-storage bucket)" }).optional(),
    /** Parallel pg_restore jobs. @default 2 */
    jobs: z.number().int().min(1).max(16).optional(),
    /** Drop databases of the dump that already hold tables. @default false */
    replace: z.boolean().optional(),
    /** Scratch space for a dump fetched from cold storage. @default "20Gi" */
    scratchSize: quantity("20Gi").optional(),
});

/** `restore.pvc`: a VolumeSnapshot restored into a new PVC (docs/restore-pvc.md). */
export const pvcRestoreSchema = z.strictObject({
    element: z.enum(PVC_SETS, { error: `write one of ${PVC_SETS.join(", ")}` }),
    /** VolumeSnapshot to restore, in the release's namespace (kubectl get volumesnapshots). */
    snapshot: objectName("VolumeSnapshot"),
    /** @default "<snapshotted PVC>-restored" */
    pvcName: objectName("PVC").optional(),
    /** Must be a class of the CSI driver that took the snapshot. @default the cluster's default */
    storageClass: objectName("StorageClass").optional(),
    /** @default ["ReadWriteOnce"] (every QALITA PVC is) */
    accessModes: z
        .array(z.enum(ACCESS_MODES, { error: `write ${ACCESS_MODES.join(", ")}` }))
        .min(1)
        .optional(),
    /** Only when the snapshot reports no restoreSize, or to grow the volume. */
    size: quantity("20Gi").optional(),
});

/** `restore.agents`: the workers' ~/.qalita from the encrypted offsite copy (docs/restore-agents.md). */
export const agentsRestoreSchema = z.strictObject({
    /** "latest": the current version of every file the offsite copy has shipped. */
    from: z.literal("latest", {
        error: 'write "latest"; a point in time needs versioned reads the backup writer may not do (docs/restore-agents.md › Older versions)',
    }),
    /** Step 2: start the worker again; its start logs in and pushes the restored sources. @default false */
    relink: z.boolean({ error: "write true or false" }).optional(),
});

export const restoreSchema = z.strictObject({
    postgresql: postgresqlRestoreSchema.optional(),
    pvc: pvcRestoreSchema.optional(),
    agents: agentsRestoreSchema.optional(),
});

export type RawRestore = z.infer<typeof restoreSchema>;
