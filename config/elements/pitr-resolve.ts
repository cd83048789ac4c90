/**
 * `elements.postgresql.pitr` and a `restore.postgresql` with `source: pitr` resolved into
 * DrSpec.postgresqlPitr, with every problem named by its key. Off by default: nothing is
 * deployed, and nothing the plan shows changes, until `enabled: true`.
 */
import type { Problem } from "../../contracts/problem";
import { PITR_PREFIX } from "../../contracts/pitr";
import { configKey } from "../problems";
import { formatHours, resolveSchedule, retentionProblems } from "../schedule";
import type { ElementSpec, PostgresqlPitrSpec } from "../spec";
import type { RawRestore } from "../restore/schema";
import type { RawPitr } from "./pitr-schema";

export const PITR_DEFAULTS = {
    baseBackupSchedule: "0 3 * * *",
    copySchedule: "*/5 * * * *",
    keepBaseBackups: 2,
    storageSize: "20Gi",
    maxSlotWalKeepSize: "2GB",
} as const;

/** A restore replays the WAL since its base backup: a week of it is already hours on a busy database (docs/benchmarks.md). */
const MAX_BASE_BACKUP_INTERVAL_HOURS = 7 * 24;
/** The copy's interval is the RPO of a restore from the bucket. */
const MAX_COPY_INTERVAL_HOURS = 24;

const key = (...path: string[]) => configKey(["elements", "postgresql", "pitr", ...path]);
const restoreKey = (field: string) => configKey(["restore", "postgresql", field]);

type Values = Record<string, any>;
const object = (value: unknown): Values => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Values) : {});

export interface PitrInputs {
    readonly raw?: RawPitr;
    readonly postgresql: ElementSpec;
    readonly restore?: RawRestore["postgresql"];
    /** `qalita-dr:releaseValues`: settings that would defeat the chart values PITR needs. */
    readonly userReleaseValues: Record<string, unknown>;
}

export function resolvePitr({ raw = {}, postgresql, restore, userReleaseValues }: PitrInputs): { spec?: PostgresqlPitrSpec; problems: Problem[] } {
    const problems: Problem[] = [...restoreProblems(restore, raw.enabled === true)];
    if (!raw.enabled) return { problems };
    if (!postgresql.enabled || !postgresql.coldStoragePrefix) {
        problems.push({
            key: key("enabled"),
            message:
                "point-in-time recovery copies to PostgreSQL's cold-storage prefix, which exists only with the element on: set elements.postgresql.enabled: true",
        });
    }
    problems.push(...valuesProblems(userReleaseValues));
    const baseBackup = resolveSchedule(
        raw.baseBackupSchedule ?? PITR_DEFAULTS.baseBackupSchedule,
        raw.timezone ?? "UTC",
        { schedule: key("baseBackupSchedule"), timezone: key("timezone") },
        problems,
    );
    if (baseBackup && baseBackup.intervalHours > MAX_BASE_BACKUP_INTERVAL_HOURS) {
        problems.push({
            key: key("baseBackupSchedule"),
            message: `"${baseBackup.cron}" leaves up to ${formatHours(baseBackup.intervalHours)} between base backups: a restore would replay that much WAL; take one at least weekly, e.g. "${PITR_DEFAULTS.baseBackupSchedule}"`,
        });
    }
    if (baseBackup && postgresql.retentionDays) {
        problems.push(...retentionProblems(postgresql.retentionDays, baseBackup, configKey(["elements", "postgresql", "retentionDays"]), "base backups"));
    }
    const copy = resolveSchedule(
        raw.copySchedule ?? PITR_DEFAULTS.copySchedule,
        "UTC",
        { schedule: key("copySchedule"), timezone: key("copySchedule") },
        problems,
    );
    if (copy && copy.intervalHours > MAX_COPY_INTERVAL_HOURS) {
        problems.push({
            key: key("copySchedule"),
            message: `"${copy.cron}" leaves up to ${formatHours(copy.intervalHours)} between copies, the data a lost cluster would lose; copy at least daily, e.g. "${PITR_DEFAULTS.copySchedule}"`,
        });
    }
    if (problems.length > 0 || !baseBackup || !copy) return { problems };
    return {
        problems,
        spec: {
            baseBackupSchedule: baseBackup,
            copyUtcCron: copy.utcCron,
            copyIntervalHours: copy.intervalHours,
            keepBaseBackups: raw.keepBaseBackups ?? PITR_DEFAULTS.keepBaseBackups,
            storageSize: raw.storageSize ?? PITR_DEFAULTS.storageSize,
            storageClass: raw.storageClass,
            maxSlotWalKeepSize: raw.maxSlotWalKeepSize ?? PITR_DEFAULTS.maxSlotWalKeepSize,
            synchronous: raw.synchronous ?? false,
            coldStoragePrefix: `${postgresql.coldStoragePrefix}${PITR_PREFIX}`,
            restore: restore?.source === "pitr" && restore.targetTime ? { targetTime: restore.targetTime, archive: restore.archive ?? "pvc" } : undefined,
        },
    };
}

/** Which keys of restore.postgresql go with which source. */
function restoreProblems(restore: RawRestore["postgresql"], pitrEnabled: boolean): Problem[] {
    if (!restore) return [];
    const problems: Problem[] = [];
    if (restore.source === "pitr") {
        if (!pitrEnabled) {
            problems.push({
                key: restoreKey("source"),
                message: "a point-in-time restore reads the WAL archive, which only exists with elements.postgresql.pitr.enabled: true (docs/pitr.md)",
            });
        }
        if (restore.targetTime === undefined) {
            problems.push({ key: restoreKey("targetTime"), message: 'say which point in time, e.g. "2026-03-14T09:26:53Z", or "latest"' });
        }
        for (const field of ["from", "jobs", "replace", "scratchSize"] as const) {
            if (restore[field] !== undefined)
                problems.push({ key: restoreKey(field), message: `${field} belongs to a dump restore (source pvc or cold); remove it` });
        }
        return problems;
    }
    if (restore.from === undefined) problems.push({ key: restoreKey("from"), message: 'write a dump id like "20261124T020000Z" or "latest"' });
    for (const field of ["targetTime", "archive"] as const) {
        if (restore[field] !== undefined)
            problems.push({ key: restoreKey(field), message: `${field} belongs to a point-in-time restore (source: pitr); remove it` });
    }
    return problems;
}

/**
 * PITR sets the primary's pg_hba.conf and an extended configuration through the chart: a user
 * value that replaces either, or changes what the chart's own pg_hba would hold, would break it.
 */
function valuesProblems(user: Record<string, unknown>): Problem[] {
    const postgresql = object(user.postgresql);
    const primary = object(postgresql.primary);
    const at = (path: string) => configKey(["releaseValues", "postgresql", ...path.split(".")]);
    const problems: Problem[] = [];
    for (const field of ["pgHbaConfiguration", "existingConfigmap", "existingExtendedConfigmap"]) {
        if (primary[field] !== undefined && primary[field] !== "") {
            problems.push({
                key: at(`primary.${field}`),
                message: `point-in-time recovery writes the primary's pg_hba.conf and extended configuration itself (docs/pitr.md › Chart values); remove primary.${field}, or leave elements.postgresql.pitr off`,
            });
        }
    }
    if (object(postgresql.ldap).enabled === true) {
        problems.push({
            key: at("ldap.enabled"),
            message:
                "with LDAP the chart writes another pg_hba.conf than the one point-in-time recovery reproduces; turn one of them off (docs/pitr.md › Chart values)",
        });
    }
    return problems;
}
