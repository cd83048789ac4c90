import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { resolveElement } from "../../config/elements/resolve";
import { maxIntervalHours } from "../../contracts/schedule";
import { resolvePvcRestore } from "../../config/restore/resolve";
import { pvcRestoreSchema } from "../../config/restore/schema";
import { resolveSnapshots, SNAPSCHEDULER_CHART_VERSION } from "../../config/snapshots/resolve";
import { RawSnapshots, snapshotsSchema } from "../../config/snapshots/schema";
import { ElementSpec } from "../../config/spec";

const elements = (overrides: Partial<Record<ElementName, object>> = {}) =>
    Object.fromEntries(ELEMENTS.map((element) => [element, resolveElement(element, overrides[element] ?? {}).spec])) as Record<ElementName, ElementSpec>;

const resolve = (raw: RawSnapshots | undefined, overrides?: Partial<Record<ElementName, object>>) => {
    const parsed = snapshotsSchema.parse(raw ?? {});
    return resolveSnapshots(parsed, { elements: elements(overrides) });
};
const keys = (raw: RawSnapshots) => resolve(raw).problems.map((problem) => problem.key);

describe("snapshots config → SnapshotsSpec", () => {
    it("defaults: the cluster's default class, no operator, hourly PostgreSQL data snapshots kept 2 days", () => {
        const { spec, problems } = resolve(undefined);
        assert.deepEqual(problems, []);
        assert.equal(spec.className, undefined);
        assert.equal(spec.createdClass, undefined);
        assert.equal(spec.operator, undefined);
        assert.equal(spec.postgresqlData.enabled, true);
        assert.equal(spec.postgresqlData.schedule?.utcCron, "0 * * * *");
        assert.equal(spec.postgresqlData.schedule?.intervalHours, 1);
        assert.equal(spec.postgresqlData.retentionDays, 2);
    });

    it("creates qalita-dr-snapclass for a driver, retaining snapshots by default", () => {
        const { spec } = resolve({ driver: "ebs.csi.aws.com", parameters: { tagSpecification_1: "team=data" } });
        assert.equal(spec.className, "qalita-dr-snapclass");
        assert.deepEqual(spec.createdClass, {
            name: "qalita-dr-snapclass",
            driver: "ebs.csi.aws.com",
            deletionPolicy: "Retain",
            parameters: { tagSpecification_1: "team=data" },
        });
        assert.equal(resolve({ className: "csi-snapclass" }).spec.className, "csi-snapclass");
    });

    it("refuses className with driver, and class settings without a class to create", () => {
        assert.deepEqual(keys({ className: "csi-snapclass", driver: "ebs.csi.aws.com" }), ["qalita-dr:snapshots.driver"]);
        assert.deepEqual(keys({ className: "csi-snapclass", deletionPolicy: "Delete", parameters: {} }), [
            "qalita-dr:snapshots.deletionPolicy",
            "qalita-dr:snapshots.parameters",
        ]);
        const [problem] = resolve({ className: "a", driver: "b.csi" }).problems;
        assert.match(problem.message, /keep one of them \(neither: the cluster's default class\)/);
    });

    it("installs the pinned snapscheduler chart only when asked", () => {
        assert.deepEqual(resolve({ installOperator: true }).spec.operator, { chartVersion: SNAPSCHEDULER_CHART_VERSION, namespace: "backube-snapscheduler" });
        assert.equal(resolve({ installOperator: true, operatorVersion: "3.4.0" }).spec.operator?.chartVersion, "3.4.0");
        assert.deepEqual(keys({ operatorVersion: "3.4.0" }), ["qalita-dr:snapshots.operatorVersion"]);
        assert.match(SNAPSCHEDULER_CHART_VERSION, /^\d+\.\d+\.\d+$/);
    });

    it("converts the data snapshot schedule to UTC and bounds it by PostgreSQL's criticality", () => {
        assert.equal(resolve({ postgresqlData: { schedule: "0 * * * *", timezone: "Asia/Kolkata" } }).spec.postgresqlData.schedule?.utcCron, "30 * * * *");
        assert.deepEqual(keys({ postgresqlData: { schedule: "0 3 * * 1-5", retentionDays: 7 } }), ["qalita-dr:snapshots.postgresqlData.schedule"]);
        assert.match(resolve({ postgresqlData: { schedule: "0 3 * * 1-5", retentionDays: 7 } }).problems[0].message, /up to 72 h .* at most 24 h/);
        assert.deepEqual(keys({ postgresqlData: { schedule: "0 3 * *" } }), ["qalita-dr:snapshots.postgresqlData.schedule"]);
        assert.deepEqual(keys({ postgresqlData: { timezone: "Europe/Pariss" } }), ["qalita-dr:snapshots.postgresqlData.timezone"]);
        // The same schedule resolver as the elements': a misspelt timezone gets the closest IANA name.
        assert.match(resolve({ postgresqlData: { timezone: "Europe/Pariss" } }).problems[0].message, /did you mean "Europe\/Paris"\?/);
        assert.deepEqual(keys({ postgresqlData: { schedule: "0 3 * * *", retentionDays: 1 } }), ["qalita-dr:snapshots.postgresqlData.retentionDays"]);
    });

    it("keeps at least two data snapshots whatever the schedule and retention", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 5 }), (every, retentionDays) => {
                const schedule = `0 */${every} * * *`;
                const { problems } = resolve({ postgresqlData: { schedule, retentionDays } });
                const short = retentionDays * 24 < 2 * maxIntervalHours(schedule);
                assert.equal(
                    problems.some((p) => p.key === "qalita-dr:snapshots.postgresqlData.retentionDays"),
                    short,
                    `${schedule} kept ${retentionDays} d`,
                );
            }),
        );
    });

    it("snapshots PostgreSQL's data by default only when PostgreSQL is protected", () => {
        const off = { postgresql: { enabled: false, acceptRisk: true, riskReason: "managed database elsewhere" } };
        assert.equal(resolve(undefined, off).spec.postgresqlData.enabled, false);
        assert.equal(resolve({ postgresqlData: { enabled: true } }, off).spec.postgresqlData.enabled, true);
    });

    it("takes one kind of selector override per PVC set", () => {
        assert.deepEqual(resolve({ pvcLabels: { agents: { pvcNames: ["my-worker-store"] } } }).spec.selections, { agents: { pvcNames: ["my-worker-store"] } });
        assert.deepEqual(keys({ pvcLabels: { agents: { pvcNames: ["x"], matchLabels: { a: "b" } }, s3: {} } }).sort(), [
            "qalita-dr:snapshots.pvcLabels.agents",
            "qalita-dr:snapshots.pvcLabels.s3",
        ]);
    });

    it("rejects unknown keys, bad label keys and bad driver names in the shape", () => {
        assert.equal(snapshotsSchema.safeParse({ classname: "x" }).success, false);
        assert.equal(snapshotsSchema.safeParse({ pvcLabels: { agents: { matchLabels: { "bad key!": "x" } } } }).success, false);
        assert.equal(snapshotsSchema.safeParse({ pvcLabels: { postgresql: {} } }).success, false);
        assert.equal(snapshotsSchema.safeParse({ driver: "-ebs" }).success, false);
        assert.equal(snapshotsSchema.safeParse({ pvcLabels: { s3: { matchLabels: { "app.kubernetes.io/name": "seaweedfs" } } } }).success, true);
    });
});

describe("restore.pvc config", () => {
    it("names a PVC set and a VolumeSnapshot; access modes default to ReadWriteOnce", () => {
        const raw = pvcRestoreSchema.parse({ element: "postgresql-data", snapshot: "data-qalita-postgresql-0-qalita-dr-postgresql-data-202611240200" });
        assert.deepEqual(resolvePvcRestore(raw), {
            pvcSet: "postgresql-data",
            snapshot: raw.snapshot,
            pvcName: undefined,
            storageClass: undefined,
            accessModes: ["ReadWriteOnce"],
            size: undefined,
        });
        assert.equal(resolvePvcRestore(undefined), undefined);
    });

    it("refuses an element that is not a PVC set, and malformed names and sizes", () => {
        assert.equal(pvcRestoreSchema.safeParse({ element: "postgresql", snapshot: "x" }).success, false);
        assert.equal(pvcRestoreSchema.safeParse({ element: "s3", snapshot: "Not_A_Name" }).success, false);
        assert.equal(pvcRestoreSchema.safeParse({ element: "s3", snapshot: "x", size: "8GB" }).success, false);
        assert.equal(pvcRestoreSchema.safeParse({ element: "s3", snapshot: "x", extra: 1 }).success, false);
    });
});
