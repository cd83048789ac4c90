import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { resolveElement } from "../../config/elements/resolve";
import { resolveSnapshots } from "../../config/snapshots/resolve";
import { RawSnapshots, snapshotsSchema } from "../../config/snapshots/schema";
import { ElementSpec } from "../../config/spec";
import { chartClaims, pvcSetClaims, selects } from "../../contracts/snapshot-claims";
import { plannedSchedules, SnapshotPlanInputs } from "../../components/snapshots/plan";
import { snapshotPosture } from "../../components/posture";
import { volumeScheduleSpec } from "../../components/snapshots/schedule-spec";
import { parseGoDuration } from "../../policies/lib/go-duration";
import { crdValidator } from "../support/crd-schema";

const validateSchedule = crdValidator("snapscheduler.backube_snapshotschedules.yaml", "v1");
const asObject = (spec: object) => ({ apiVersion: "snapscheduler.backube/v1", kind: "SnapshotSchedule", metadata: { name: "s", namespace: "qalita" }, spec });

function planInputs(raw: RawSnapshots = {}, overrides: Partial<Record<ElementName, object>> = {}): SnapshotPlanInputs {
    const elements = Object.fromEntries(ELEMENTS.map((e) => [e, resolveElement(e, overrides[e] ?? {}).spec])) as Record<ElementName, ElementSpec>;
    const { spec, problems } = resolveSnapshots(snapshotsSchema.parse(raw), { elements });
    assert.deepEqual(problems, []);
    return { namespace: "qalita", release: "qalita", elements, snapshots: spec, postgresqlDump: { keepDays: 7, snapshotUtcCron: "0 3 * * *" } };
}

describe("snapshot schedules per PVC set", () => {
    const planned = plannedSchedules(planInputs({ className: "csi-snapclass" }));
    const bySet = Object.fromEntries(planned.map((p) => [p.pvcSet, p]));

    it("schedules every protected set by default (redis is off), each valid for snapscheduler's CRD", () => {
        assert.deepEqual(
            planned.map((p) => p.scheduleName),
            ["qalita-dr-s3", "qalita-dr-agents", "qalita-dr-postgresql-data", "qalita-dr-postgresql-dump"],
        );
        for (const p of planned) {
            assert.deepEqual(validateSchedule(asObject(p.spec)), [], p.scheduleName);
            assert.equal(p.labels["dr.qalita.io/element"], p.element);
            assert.equal(p.labels["dr.qalita.io/mechanism"], "volume-snapshot");
            assert.equal(p.spec.snapshotTemplate.snapshotClassName, "csi-snapclass");
        }
        assert.ok(plannedSchedules(planInputs({}, { redis: { enabled: true } })).some((p) => p.pvcSet === "redis"));
    });

    it("snapshots PostgreSQL's data hourly for 2 days, its dumps when complete, SeaweedFS weekly", () => {
        assert.deepEqual(bySet["postgresql-data"].spec.retention, { expires: "48h", maxCount: 49 });
        assert.equal(bySet["postgresql-data"].spec.schedule, "0 * * * *");
        assert.equal(bySet["postgresql-dump"].spec.schedule, "0 3 * * *", "the offsite copy's time: an hour after the dump starts");
        assert.deepEqual(bySet["postgresql-dump"].spec.retention, { expires: "168h", maxCount: 8 });
        assert.equal(bySet.s3.spec.schedule, "0 3 * * 0");
        assert.equal(bySet.s3.spec.retention.expires, "4320h");
        const withoutOffsite = plannedSchedules({ ...planInputs(), postgresqlDump: { keepDays: 1 } }).find((p) => p.pvcSet === "postgresql-dump")!;
        assert.equal(withoutOffsite.spec.schedule, "0 2 * * *");
        assert.equal(withoutOffsite.dataLagHours, 24, "a snapshot at the dump's start holds the previous dump");
        assert.equal(withoutOffsite.spec.retention.expires, "48h", "never fewer than 2 intervals");
    });

    it("selects exactly the PVCs of its own set, and none of the decoys", () => {
        const decoys: { name: string; labels: Record<string, string> }[] = [
            {
                name: "data-qalita-postgresql-read-0",
                labels: { "app.kubernetes.io/name": "postgresql", "app.kubernetes.io/instance": "qalita", "app.kubernetes.io/component": "read" },
            },
            {
                name: "data-other-postgresql-0",
                labels: { "app.kubernetes.io/name": "postgresql", "app.kubernetes.io/instance": "other", "app.kubernetes.io/component": "primary" },
            },
            { name: "qalita-worker-store (not yet labelled)", labels: {} },
            { name: "redis-data-0", labels: { "app.kubernetes.io/name": "redis" } },
        ];
        for (const p of planned) {
            for (const claim of chartClaims("qalita", "qalita")) {
                const labelled = { ...claim.labels, ...claim.patchLabels };
                assert.equal(selects(p.claims.selector, labelled), claim.pvcSet === p.pvcSet, `${p.scheduleName} × ${claim.name}`);
            }
            for (const decoy of decoys) assert.equal(selects(p.claims.selector, decoy.labels), false, `${p.scheduleName} × ${decoy.name}`);
        }
        assert.deepEqual(bySet.agents.claims.pvcsToLabel, ["qalita-worker-store"]);
    });

    it("applies selector overrides: chart labels as written, or named PVCs the stack labels", () => {
        const plan = plannedSchedules(planInputs({ pvcLabels: { s3: { matchLabels: { app: "seaweedfs" } }, "postgresql-data": { pvcNames: ["pg-data"] } } }));
        const s3 = plan.find((p) => p.pvcSet === "s3")!;
        assert.deepEqual(s3.spec.claimSelector, { matchLabels: { app: "seaweedfs" } });
        const data = plan.find((p) => p.pvcSet === "postgresql-data")!;
        assert.deepEqual(data.claims.pvcsToLabel, ["pg-data"]);
        assert.ok(selects(data.claims.selector, data.claims.patchLabels));
        assert.ok(!selects(plan.find((p) => p.pvcSet === "agents")!.claims.selector, data.claims.patchLabels), "two sets never share a label selector");
    });

    it("sizes retention so that maxCount (≥ 2) never bites before expires", () => {
        fc.assert(
            fc.property(fc.double({ min: 0.25, max: 720, noNaN: true }), fc.integer({ min: 1, max: 400 }), (intervalHours, retentionDays) => {
                const spec = volumeScheduleSpec({ utcCron: "0 * * * *", intervalHours, retentionDays }, pvcSetClaims("s3", "qalita", "qalita"), {});
                const expires = parseGoDuration(spec.retention.expires);
                assert.ok(expires.ok && expires.seconds === retentionDays * 86400);
                assert.ok(spec.retention.maxCount >= 2);
                assert.ok(spec.retention.maxCount * intervalHours >= retentionDays * 24);
                assert.deepEqual(validateSchedule(asObject(spec)), []);
            }),
        );
        assert.throws(() => volumeScheduleSpec({ utcCron: "0 * * * *", intervalHours: 0, retentionDays: 1 }, pvcSetClaims("s3", "q", "q"), {}));
    });
});

describe("snapshot posture", () => {
    const inputs = planInputs({ driver: "ebs.csi.aws.com" });
    const { rows, warnings } = snapshotPosture(plannedSchedules(inputs), inputs.snapshots);

    it("gives each set its RPO (data lag included) and a clone-time RTO", () => {
        const rpo = Object.fromEntries(rows.map((row) => [row.pvcSet, row.rpoHours]));
        assert.deepEqual(rpo, { s3: 168, agents: 168, "postgresql-data": 1, "postgresql-dump": 25 });
        for (const row of rows) assert.match(row.rto, /^minutes: CSI clone of a volume, whatever its size/);
        assert.match(rows.find((row) => row.pvcSet === "postgresql-data")!.rto, /WAL replay/);
    });

    it("warns of the SeaweedFS gaps and of retained storage snapshots", () => {
        const text = warnings.map((w) => w.message).join("\n");
        assert.match(text, /master keeps its -mdir .* hostPath/);
        assert.match(text, /not consistent with each other/);
        assert.match(text, /retains storage snapshots/);
        assert.ok(!/default class/.test(text));
        const defaults = planInputs();
        assert.match(
            snapshotPosture(plannedSchedules(defaults), defaults.snapshots)
                .warnings.map((w) => w.message)
                .join("\n"),
            /cluster's default class/,
        );
    });
});
