import { strict as assert } from "node:assert";
import fc from "fast-check";
import { estimateMonthlyCost } from "../../config/cold-storage/cost";
import { ColdStorageCriticality, NONCURRENT_PROTECTION_DAYS, deriveLifecycleRule } from "../../config/cold-storage/lifecycle-derive";
import { LifecycleRule, LifecycleTransition } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { validateLifecycle } from "../../contracts/s3-lifecycle/lifecycle-validate";
import { ALLOWED_TRANSITIONS, IA_CLASSES, MIN_STORAGE_DAYS, STORAGE_CLASSES, StorageClass } from "../../contracts/s3-lifecycle/storage-classes";
import { US_EAST_1_INTER_REGION_TRANSFER_USD_PER_GB, US_EAST_1_PRICES } from "../../config/cold-storage/prices";
import { CostRow, costRows } from "../../config/cost-estimate";
import { resolveWithWorker } from "../support/config";

/** A rule over a versioned prefix: expired backups stay `noncurrentDays` more, where they are. */
const rule = (transitions: LifecycleTransition[], days?: number, noncurrentDays = 1): LifecycleRule => ({
    id: "r",
    status: "Enabled",
    filter: { prefix: "p/" },
    transitions,
    ...(days === undefined ? {} : { expiration: { days } }),
    noncurrentVersionExpiration: { noncurrentDays },
});
const close = (actual: number, expected: number, message?: string) =>
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${message ?? ""} ${actual} ≠ ${expected}`);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const size = fc.double({ min: 0.001, max: 10_000, noNaN: true });
const interval = fc.integer({ min: 1, max: 24 * 31 });
const retention = fc.integer({ min: 1, max: 3650 });

/** A rule S3 accepts where every class is kept at least its minimum duration: a random walk down the waterfall. */
const validTieredRule = fc
    .tuple(fc.array(fc.record({ pick: fc.nat(), extra: fc.integer({ min: 0, max: 120 }) }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 400 }))
    .map(([choices, tail]) => {
        let from: StorageClass = "STANDARD";
        let at = 0;
        const transitions: LifecycleTransition[] = [];
        for (const { pick, extra } of choices) {
            const options: readonly StorageClass[] = ALLOWED_TRANSITIONS[from];
            if (options.length === 0) break;
            const to: StorageClass = options[pick % options.length];
            at = from === "STANDARD" ? extra : at + Math.max(1, MIN_STORAGE_DAYS[from]) + extra;
            if (IA_CLASSES.includes(to)) at = Math.max(at, 30);
            transitions.push({ days: at, storageClass: to });
            from = to;
        }
        return rule(transitions, at + Math.max(1, MIN_STORAGE_DAYS[from]) + tail, 1 + (tail % 40));
    });

const derivedRule = fc
    .tuple(fc.constantFrom<ColdStorageCriticality>("critical", "moderate", "low"), retention)
    .map(([criticality, retentionDays]) => deriveLifecycleRule({ element: "e", prefix: "e/", criticality, retentionDays }));

describe("cold-storage monthly cost estimate", () => {
    it("equals all-STANDARD when nothing transitions", () => {
        fc.assert(
            fc.property(size, interval, retention, (backupSizeGb, intervalHours, days) => {
                const cost = estimateMonthlyCost({ rule: rule([], days), backupSizeGb, intervalHours });
                close(cost.tieredUsd, cost.allStandardUsd);
                close(cost.byClassGb.STANDARD, sum(Object.values(cost.byClassGb)));
            }),
        );
    });

    it("keeps one backup per interval for as long as the bucket stores it, each class holding its share of the days", () => {
        fc.assert(
            fc.property(derivedRule, size, interval, (r, backupSizeGb, intervalHours) => {
                const cost = estimateMonthlyCost({ rule: r, backupSizeGb, intervalHours });
                // An expired dump stays behind its delete marker, in the class it expired in, the protection window.
                const storedDays = r.expiration!.days! + NONCURRENT_PROTECTION_DAYS;
                assert.equal(cost.storedDays, storedDays);
                close(sum(Object.values(cost.byClassGb)), ((storedDays * 24) / intervalHours) * backupSizeGb, "total");
                const boundaries = [0, ...(r.transitions ?? []).map((t) => t.days!), storedDays];
                const classes: StorageClass[] = ["STANDARD", ...(r.transitions ?? []).map((t) => t.storageClass as StorageClass)];
                classes.forEach((c, i) => close(cost.byClassGb[c], (backupSizeGb * (boundaries[i + 1] - boundaries[i]) * 24) / intervalHours, c));
                close(cost.allStandardUsd, ((storedDays * 24) / intervalHours) * backupSizeGb * US_EAST_1_PRICES.STANDARD, "all STANDARD");
            }),
        );
    });

    // Issue 13 item 8: the estimate counted 365 days of dumps that the bucket kept 730.
    it("counts the noncurrent versions the versioned bucket really keeps", () => {
        const dumps = deriveLifecycleRule({ element: "postgresql", prefix: "postgresql/", criticality: "critical", retentionDays: 365 });
        const cost = estimateMonthlyCost({ rule: dumps, backupSizeGb: 1, intervalHours: 24 });
        assert.equal(cost.storedDays, 365 + 30);
        close(cost.byClassGb.DEEP_ARCHIVE, 365 + 30 - 180, "expired dumps stay in DEEP_ARCHIVE");
        // A mirror's copy is rewritten by the next run, then kept as history through the noncurrent waterfall.
        const mirror = deriveLifecycleRule({ element: "s3", prefix: "s3/", criticality: "moderate", retentionDays: 180, layout: "mirror" });
        const weekly = estimateMonthlyCost({ rule: mirror, backupSizeGb: 7, intervalHours: 168, layout: "mirror" });
        assert.equal(weekly.storedDays, 7 + 180);
        assert.deepEqual(
            Object.entries(weekly.byClassGb).filter(([, gb]) => gb > 0),
            [
                ["STANDARD", 7 + 30],
                ["STANDARD_IA", 60],
                ["GLACIER", 90],
            ],
        );
        assert.throws(
            () => estimateMonthlyCost({ rule: { ...dumps, noncurrentVersionExpiration: undefined }, backupSizeGb: 1, intervalHours: 24 }),
            /kept forever/,
        );
    });

    it("never costs more than all-STANDARD once every class is kept its minimum duration", () => {
        fc.assert(
            fc.property(fc.oneof(validTieredRule, derivedRule), size, interval, (r, backupSizeGb, intervalHours) => {
                assert.deepEqual(validateLifecycle([r]), []);
                const cost = estimateMonthlyCost({ rule: r, backupSizeGb, intervalHours });
                assert.ok(cost.tieredUsd <= cost.allStandardUsd * (1 + 1e-12), `${cost.tieredUsd} > ${cost.allStandardUsd}`);
                const cheaper = (r.transitions ?? []).some((t) => US_EAST_1_PRICES[t.storageClass as StorageClass] < US_EAST_1_PRICES.STANDARD);
                if (cheaper) assert.ok(cost.tieredUsd < cost.allStandardUsd);
            }),
        );
    });

    it("scales linearly with the backup size and inversely with the interval", () => {
        fc.assert(
            fc.property(fc.oneof(validTieredRule, derivedRule), size, interval, fc.integer({ min: 2, max: 50 }), (r, backupSizeGb, intervalHours, k) => {
                const base = estimateMonthlyCost({ rule: r, backupSizeGb, intervalHours });
                const bigger = estimateMonthlyCost({ rule: r, backupSizeGb: k * backupSizeGb, intervalHours });
                const moreOften = estimateMonthlyCost({ rule: r, backupSizeGb, intervalHours: intervalHours / k });
                for (const scaled of [bigger, moreOften]) {
                    close(scaled.tieredUsd, k * base.tieredUsd);
                    close(scaled.allStandardUsd, k * base.allStandardUsd);
                    for (const c of STORAGE_CLASSES) close(scaled.byClassGb[c], k * base.byClassGb[c], c);
                }
            }),
        );
    });

    it("bills a class left before its minimum duration as if kept that long, noncurrent days included", () => {
        const early = estimateMonthlyCost({ rule: rule([{ days: 0, storageClass: "GLACIER" }], 20, 10), backupSizeGb: 10, intervalHours: 24 });
        const kept = estimateMonthlyCost({
            rule: rule([{ days: 0, storageClass: "GLACIER" }], MIN_STORAGE_DAYS.GLACIER - 10, 10),
            backupSizeGb: 10,
            intervalHours: 24,
        });
        close(early.tieredUsd, kept.tieredUsd);
        close(early.byClassGb.GLACIER * (MIN_STORAGE_DAYS.GLACIER / 30), kept.byClassGb.GLACIER);
    });

    it("prices each class with the override given, the list price otherwise", () => {
        fc.assert(
            fc.property(derivedRule, size, fc.constantFrom(...STORAGE_CLASSES), fc.double({ min: 0, max: 1, noNaN: true }), (r, backupSizeGb, c, price) => {
                const list = estimateMonthlyCost({ rule: r, backupSizeGb, intervalHours: 24 });
                const overridden = estimateMonthlyCost({ rule: r, backupSizeGb, intervalHours: 24, prices: { [c]: price } });
                close(overridden.tieredUsd - list.tieredUsd, list.byClassGb[c] * (price - US_EAST_1_PRICES[c]), c);
            }),
        );
    });

    it("refuses what it cannot model", () => {
        assert.throws(() => estimateMonthlyCost({ rule: rule([]), backupSizeGb: 1, intervalHours: 24 }), /no days-based expiration/);
        assert.throws(
            () => estimateMonthlyCost({ rule: rule([{ date: "2027-01-01", storageClass: "GLACIER" }], 365), backupSizeGb: 1, intervalHours: 24 }),
            /date/,
        );
        assert.throws(() => estimateMonthlyCost({ rule: rule([], 30), backupSizeGb: -1, intervalHours: 24 }), RangeError);
        assert.throws(() => estimateMonthlyCost({ rule: rule([], 30), backupSizeGb: 1, intervalHours: 0 }), RangeError);
    });
});

// Issue 13 item 9: the total left out the replica bucket.
describe("the plan's cost rows (config/cost-estimate.ts)", () => {
    it("adds each element's replica: the same storage, plus the inter-region transfer of every backup", () => {
        const source = costRows(resolveWithWorker({}));
        assert.ok(source.every((row) => row.replica === undefined));
        const rows = costRows(resolveWithWorker({ coldStorage: { replicaRegion: "eu-central-1" } }));
        assert.deepEqual(
            rows.map((row) => row.element),
            [...source.map((row) => row.element), ...source.map((row) => `${row.element} replica`)],
        );
        source.forEach((row, i) => {
            const replica = rows[source.length + i];
            const gbPerMonth = ((row.backupSizeGb * 24) / row.intervalHours) * (365 / 12);
            close(replica.replica!.transferGbPerMonth, gbPerMonth, row.element);
            close(replica.replica!.transferUsd, gbPerMonth * US_EAST_1_INTER_REGION_TRANSFER_USD_PER_GB);
            close(replica.tieredUsd, row.tieredUsd + replica.replica!.transferUsd);
            close(replica.allStandardUsd, row.allStandardUsd + replica.replica!.transferUsd);
            assert.match(replica.tiering, /^replica in eu-central-1, same lifecycle; \+ [\d.]+ GB\/month replicated at \$0\.02\/GB$/);
        });
        // A daily 1 GB dump: 30.4 GB a month cross the regions.
        close(rows[source.length].replica!.transferUsd, 0.02 * (365 / 12));
        const total = (list: CostRow[]) => sum(list.map((row) => row.tieredUsd));
        assert.ok(total(rows) > 2 * total(source));
    });
});
