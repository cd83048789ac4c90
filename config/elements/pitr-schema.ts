/**
 * `qalita-dr:elements.postgresql.pitr`: point-in-time recovery as users write it (docs/pitr.md).
 * Off by default. Only shape is checked here; meaning (cron, sizes against each other) is
 * pitr-resolve.ts's.
 */
import { z } from "zod";
import { quantity } from "../schema-parts";

/** A size as PostgreSQL's GUCs write it: `max_slot_wal_keep_size = 2GB`. */
const pgSize = (example: string) =>
    z
        .string({ error: `write a size in quotes, e.g. "${example}"` })
        .regex(/^[1-9][0-9]*(MB|GB|TB)$/, { error: `write a size in MB, GB or TB, e.g. "${example}"` });

export const pitrSchema = z.strictObject({
    /** Stream the WAL to a receiver and take base backups: restores to any point in time. @default false */
    enabled: z.boolean({ error: "write true or false" }).optional(),
    /** When base backups are taken (a restore replays the WAL since the newest one before its target). @default "0 3 * * *" */
    baseBackupSchedule: z.string({ error: 'write a cron expression in quotes, e.g. "0 3 * * *"' }).optional(),
    /** IANA timezone of baseBackupSchedule. @default "UTC" */
    timezone: z.string({ error: 'write an IANA timezone, e.g. "Europe/Paris"' }).optional(),
    /** Base backups kept on the archive PVC (the WAL before the oldest is pruned); at least 2. @default 2 */
    keepBaseBackups: z
        .number({ error: "write a whole number ≥ 2" })
        .int({ error: "write a whole number ≥ 2" })
        .min(2, { error: "keep at least 2 base backups: a failing base backup must never leave none" })
        .max(30)
        .optional(),
    /** When WAL and base backups are copied to cold storage: the RPO of a restore from the bucket. @default "*\/5 * * * *" */
    copySchedule: z.string({ error: 'write a cron expression in quotes, e.g. "*/5 * * * *"' }).optional(),
    /** Size of the archive PVC: keepBaseBackups + 1 base backups and the WAL since the oldest. @default "20Gi" */
    storageSize: quantity("20Gi").optional(),
    /** StorageClass of the archive PVC; unset uses the cluster default. */
    storageClass: z.string({ error: "write the StorageClass's name" }).optional(),
    /**
     * Commits wait until the WAL receiver has the WAL on its disk (synchronous_standby_names names
     * it): no confirmed commit is ever missing from the archive (RPO 0), but while the receiver is
     * down, commits wait for it. Off: commits never wait, the RPO is the stream's lag
     * (milliseconds while it is healthy). @default false
     */
    synchronous: z.boolean({ error: "write true or false" }).optional(),
    /** The most WAL the primary keeps for a receiver that is down (max_slot_wal_keep_size). @default "2GB" */
    maxSlotWalKeepSize: pgSize("2GB").optional(),
});

export type RawPitr = z.infer<typeof pitrSchema>;
