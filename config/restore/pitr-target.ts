/**
 * `restore.postgresql.targetTime` (source pitr): an instant PostgreSQL's recovery_target_time
 * reads the same whatever the server's timezone — RFC 3339 with an explicit offset — or
 * "latest", every WAL record the archive has.
 */
import { z } from "zod";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const EXAMPLE = 'write an instant with its offset in quotes, e.g. "2026-03-14T09:26:53Z" or "2026-03-14T10:26:53+01:00", or "latest"';

export const pitrTargetTime = z
    .string({ error: EXAMPLE })
    .refine((value) => value === "latest" || (RFC3339.test(value) && !Number.isNaN(Date.parse(value))), { error: EXAMPLE });
