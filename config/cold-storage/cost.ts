/**
 * Steady-state monthly storage cost of one element's backups under its lifecycle rule, against
 * keeping the same backups in STANDARD for as long — the number that tells whether a tiering is
 * worth its slower restores.
 *
 * Model: one backup of `backupSizeGb` every `intervalHours`, each stored until the rule deletes
 * it. Once the first backup is gone the stored volume is constant (Little's law): in each class it
 * is size × days spent there × backups per day. Monthly cost = that volume × price per GB-month.
 * A backup's days are what the versioned bucket really keeps (spec.ts › ColdLayout):
 *  - per-backup: current until the expiration, then a noncurrent version behind the delete marker
 *    until noncurrentVersionExpiration;
 *  - mirror: current until the next run rewrites it (or the expiration, if sooner), then its
 *    noncurrent days — the history.
 * Assumptions, all on purpose:
 *  - storage only: no request, transition, retrieval or data-transfer fees, no per-object
 *    overhead (Glacier's 40 KB, Intelligent-Tiering monitoring), no 128 KB minimum object size;
 *  - minimum storage durations are billed: a backup that leaves a class earlier (by a transition
 *    or the expiration) costs as if it had stayed the minimum — S3's early-deletion charge;
 *  - no accidents: overwrites of per-backup keys, and newerNoncurrentVersions, are not modelled;
 *  - days-based rules only (a date-based transition has no steady state).
 */
import { LifecycleRule, asRecord } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { MIN_STORAGE_DAYS, STORAGE_CLASSES, StorageClass, canTransition, isStorageClass } from "../../contracts/s3-lifecycle/storage-classes";
import type { ColdLayout, PriceTable } from "../spec";
import { US_EAST_1_PRICES } from "./prices";

export interface MonthlyCostInput {
    readonly rule: LifecycleRule;
    readonly backupSizeGb: number;
    readonly intervalHours: number;
    /** @default "per-backup" */
    readonly layout?: ColdLayout;
    /** USD per GB-month overrides (e.g. from stack config, another region); defaults: US_EAST_1_PRICES. */
    readonly prices?: Partial<PriceTable>;
}

export interface MonthlyCost {
    /** With the rule's transitions, minimum-duration charges included. */
    readonly tieredUsd: number;
    /** Everything in STANDARD for as many days. */
    readonly allStandardUsd: number;
    /** Steady-state stored volume per class (GB), noncurrent versions included; zero for classes the rule never uses. */
    readonly byClassGb: Readonly<Record<StorageClass, number>>;
    /** Days each backup is stored, as a current then a noncurrent version. */
    readonly storedDays: number;
}

export interface Residency {
    readonly storageClass: StorageClass;
    /** Days each backup actually spends in the class. */
    readonly days: number;
}

/**
 * The classes a backup goes through under `rule`, in order, with the days it spends in each —
 * current, then noncurrent from `replacedAfterDays` (a mirror's next run) or the expiration.
 * A stay spanning both phases is one stay: the class's minimum duration counts from its start.
 */
export function residency(rule: LifecycleRule, replacedAfterDays = Infinity): Residency[] {
    const retention = asRecord(rule.expiration)?.days;
    if (typeof retention !== "number" || !(retention > 0)) {
        throw new RangeError(`rule ${rule.id} has no days-based expiration: without one, stored volume grows without bound`);
    }
    const noncurrentDays = asRecord(rule.noncurrentVersionExpiration)?.noncurrentDays;
    if (typeof noncurrentDays !== "number" || !(noncurrentDays > 0)) {
        throw new RangeError(`rule ${rule.id} has no noncurrentVersionExpiration: in a versioned bucket, expired backups would be kept forever`);
    }
    const currentDays = Math.min(retention, replacedAfterDays);
    const current = steps(
        rule,
        (rule.transitions ?? []).map((t) => ({ at: t.days, date: t.date, storageClass: t.storageClass })),
    );
    const noncurrent = steps(
        rule,
        (rule.noncurrentVersionTransitions ?? []).map((t) => ({ at: t.noncurrentDays, storageClass: t.storageClass })),
    );
    const stays: Residency[] = [];
    let at: Residency = { storageClass: "STANDARD", days: 0 };
    const move = (storageClass: StorageClass, day: number) => {
        // S3 only ever moves a version colder: a noncurrent step warmer than where it is never applies.
        if (!canTransition(at.storageClass, storageClass)) return;
        stays.push({ storageClass: at.storageClass, days: day - at.days });
        at = { storageClass, days: day };
    };
    for (const t of current.filter((t) => t.at < currentDays)) move(t.storageClass, t.at);
    for (const t of noncurrent.filter((t) => t.at < noncurrentDays)) move(t.storageClass, currentDays + t.at);
    stays.push({ storageClass: at.storageClass, days: currentDays + noncurrentDays - at.days });
    return stays.filter((stay) => stay.days > 0);
}

function steps(rule: LifecycleRule, list: { at?: number; date?: string; storageClass: string }[]): { at: number; storageClass: StorageClass }[] {
    return list
        .map((t) => {
            if (t.date !== undefined) throw new RangeError(`rule ${rule.id} transitions on a date: the cost model needs days-based transitions`);
            if (!isStorageClass(t.storageClass)) throw new RangeError(`rule ${rule.id}: unknown storage class ${t.storageClass}`);
            return { at: t.at ?? 0, storageClass: t.storageClass };
        })
        .sort((a, b) => a.at - b.at);
}

export function estimateMonthlyCost({ rule, backupSizeGb, intervalHours, layout, prices }: MonthlyCostInput): MonthlyCost {
    if (!Number.isFinite(backupSizeGb) || backupSizeGb < 0) throw new RangeError(`backupSizeGb must be ≥ 0, got ${backupSizeGb}`);
    if (!Number.isFinite(intervalHours) || intervalHours <= 0) throw new RangeError(`intervalHours must be > 0, got ${intervalHours}`);
    const price: PriceTable = { ...US_EAST_1_PRICES, ...prices };
    const backupsPerDay = 24 / intervalHours;
    const gbPerDayKept = backupSizeGb * backupsPerDay;
    const byClassGb = Object.fromEntries(STORAGE_CLASSES.map((c) => [c, 0])) as Record<StorageClass, number>;
    let tieredUsd = 0;
    let storedDays = 0;
    for (const stay of residency(rule, layout === "mirror" ? intervalHours / 24 : Infinity)) {
        byClassGb[stay.storageClass] += gbPerDayKept * stay.days;
        tieredUsd += gbPerDayKept * Math.max(stay.days, MIN_STORAGE_DAYS[stay.storageClass]) * price[stay.storageClass];
        storedDays += stay.days;
    }
    return { tieredUsd, allStandardUsd: gbPerDayKept * storedDays * price.STANDARD, byClassGb, storedDays };
}
