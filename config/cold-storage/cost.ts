/**
 * Steady-state monthly storage cost of one element's backups under its lifecycle rule, against
 * keeping the same backups in STANDARD for the same retention — the number that tells whether a
 * tiering is worth its slower restores.
 *
 * Model: one backup of `backupSizeGb` every `intervalHours`, each kept until the rule's expiration.
 * Once the first backup expires the stored volume is constant (Little's law): in each class it is
 * size × days spent there × backups per day. Monthly cost = that volume × price per GB-month.
 * Assumptions, all on purpose:
 *  - storage only: no request, transition, retrieval or data-transfer fees, no per-object
 *    overhead (Glacier's 40 KB, Intelligent-Tiering monitoring), no 128 KB minimum object size;
 *  - minimum storage durations are billed: a backup that leaves a class earlier (by a transition
 *    or the expiration) costs as if it had stayed the minimum — S3's early-deletion charge;
 *  - current versions only: in a versioned bucket, expired backups kept as noncurrent versions
 *    (noncurrentVersionExpiration) add to this, in the class they expired in;
 *  - days-based rules only (a date-based transition has no steady state).
 */
import { LifecycleRule, asRecord } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { MIN_STORAGE_DAYS, STORAGE_CLASSES, StorageClass, isStorageClass } from "../../contracts/s3-lifecycle/storage-classes";
import type { PriceTable } from "../spec";
import { US_EAST_1_PRICES } from "./prices";

export interface MonthlyCostInput {
    readonly rule: LifecycleRule;
    readonly backupSizeGb: number;
    readonly intervalHours: number;
    /** USD per GB-month overrides (e.g. from stack config, another region); defaults: US_EAST_1_PRICES. */
    readonly prices?: Partial<PriceTable>;
}

export interface MonthlyCost {
    /** With the rule's transitions, minimum-duration charges included. */
    readonly tieredUsd: number;
    /** Everything in STANDARD for the same retention. */
    readonly allStandardUsd: number;
    /** Steady-state stored volume per class (GB), zero for classes the rule never uses. */
    readonly byClassGb: Readonly<Record<StorageClass, number>>;
}

export interface Residency {
    readonly storageClass: StorageClass;
    /** Days each backup actually spends in the class. */
    readonly days: number;
}

/** The classes a backup goes through under `rule`, in order, with the days it spends in each. */
export function residency(rule: LifecycleRule): Residency[] {
    const retention = asRecord(rule.expiration)?.days;
    if (typeof retention !== "number" || !(retention > 0)) {
        throw new RangeError(`rule ${rule.id} has no days-based expiration: without one, stored volume grows without bound`);
    }
    const transitions = (rule.transitions ?? []).map((t) => {
        if (t.date !== undefined) throw new RangeError(`rule ${rule.id} transitions on a date: the cost model needs days-based transitions`);
        if (!isStorageClass(t.storageClass)) throw new RangeError(`rule ${rule.id}: unknown storage class ${t.storageClass}`);
        return { storageClass: t.storageClass, days: t.days ?? 0 };
    });
    const stays: Residency[] = [];
    let current: Residency = { storageClass: "STANDARD", days: 0 };
    for (const t of [...transitions].sort((a, b) => a.days - b.days).filter((t) => t.days < retention)) {
        stays.push({ storageClass: current.storageClass, days: t.days - current.days });
        current = t;
    }
    stays.push({ storageClass: current.storageClass, days: retention - current.days });
    return stays.filter((stay) => stay.days > 0);
}

export function estimateMonthlyCost({ rule, backupSizeGb, intervalHours, prices }: MonthlyCostInput): MonthlyCost {
    if (!Number.isFinite(backupSizeGb) || backupSizeGb < 0) throw new RangeError(`backupSizeGb must be ≥ 0, got ${backupSizeGb}`);
    if (!Number.isFinite(intervalHours) || intervalHours <= 0) throw new RangeError(`intervalHours must be > 0, got ${intervalHours}`);
    const price: PriceTable = { ...US_EAST_1_PRICES, ...prices };
    const backupsPerDay = 24 / intervalHours;
    const gbPerDayKept = backupSizeGb * backupsPerDay;
    const byClassGb = Object.fromEntries(STORAGE_CLASSES.map((c) => [c, 0])) as Record<StorageClass, number>;
    let tieredUsd = 0;
    let retentionDays = 0;
    for (const stay of residency(rule)) {
        byClassGb[stay.storageClass] += gbPerDayKept * stay.days;
        tieredUsd += gbPerDayKept * Math.max(stay.days, MIN_STORAGE_DAYS[stay.storageClass]) * price[stay.storageClass];
        retentionDays += stay.days;
    }
    return { tieredUsd, allStandardUsd: gbPerDayKept * retentionDays * price.STANDARD, byClassGb };
}
