import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { PvcRestore, VolumeSnapshots } from "../../components/snapshots";
import { plannedSchedules } from "../../components/snapshots/plan";
import { volumeSnapshotClassObject } from "../../components/snapshots/snapshot-class";
import { PlanResource } from "../../contracts/preview";
import { pvcSnapshotScheduled } from "../../policies/rules/pvc-snapshot-scheduled";
import { snapshotRetentionSafe } from "../../policies/rules/snapshot-retention-safe";
import { crdValidator } from "../support/crd-schema";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { resolveElement } from "../../config/elements/resolve";
import { resolveSnapshots } from "../../config/snapshots/resolve";
import { RawSnapshots, snapshotsSchema } from "../../config/snapshots/schema";
import { ElementSpec } from "../../config/spec";

const validateSchedule = crdValidator("snapscheduler.backube_snapshotschedules.yaml", "v1");
const validateClass = crdValidator("snapshot.storage.k8s.io_volumesnapshotclasses.yaml", "v1");

function planInputs(raw: RawSnapshots) {
    const elements = Object.fromEntries(ELEMENTS.map((e) => [e, resolveElement(e).spec])) as Record<ElementName, ElementSpec>;
    const snapshots = resolveSnapshots(snapshotsSchema.parse(raw), { elements }).spec;
    return { namespace: "qalita", release: "qalita", elements, snapshots, postgresqlDump: { keepDays: 7, snapshotUtcCron: "0 3 * * *" } };
}

const settled = <T>(output: pulumi.Output<T>) =>
    new Promise<T>((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );

interface Registered {
    urn: string;
    type: string;
    name: string;
    state: any;
    retainOnDelete: boolean;
    dependencies: string[];
}
const registrations = new Map<string, { retainOnDelete: boolean; dependencies: string[] }>();
before(() => {
    // Resource options are not part of the mock state: record them from the requests.
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) =>
        register(request, (error: unknown, response: any) => {
            if (!error) registrations.set(response.getUrn(), { retainOnDelete: request.getRetainondelete(), dependencies: request.getDependenciesList() });
            callback(error, response);
        });
});

/** Resources registered by the component named `root` (its children are named `${root}-…`). */
function registered(root: string): Registered[] {
    const monitor = pulumi.runtime.getMonitor() as any;
    return [...monitor.resources.values()]
        .map((resource: any) => {
            const [, , qualifiedType, name] = resource.urn.split("::");
            return {
                urn: resource.urn,
                type: qualifiedType.split("$").pop(),
                name,
                state: resource.state,
                ...(registrations.get(resource.urn) ?? { retainOnDelete: false, dependencies: [] }),
            };
        })
        .filter((resource) => resource.name === root || resource.name.startsWith(`${root}-`));
}

describe("VolumeSnapshots component", () => {
    let resources: Registered[];
    before(async () => {
        const inputs = planInputs({ driver: "ebs.csi.aws.com", installOperator: true });
        const component = new VolumeSnapshots("vs-all", { namespace: "qalita", schedules: plannedSchedules(inputs), snapshots: inputs.snapshots });
        await settled(pulumi.all([component.scheduleNames, component.snapshotClassName!, component.operatorRelease!]));
        resources = registered("vs-all");
    });
    const ofType = (type: string) => resources.filter((r) => r.type === type);

    it("installs snapscheduler from backube's repository, pinned, in its own namespace", () => {
        const [release] = ofType("kubernetes:helm.sh/v3:Release");
        assert.equal(release.state.chart, "snapscheduler");
        assert.equal(release.state.version, "3.5.0");
        assert.equal(release.state.repositoryOpts.repo, "https://backube.github.io/helm-charts/");
        assert.equal(release.state.namespace, "backube-snapscheduler");
        assert.equal(release.state.createNamespace, true);
    });

    it("creates a VolumeSnapshotClass valid for the upstream CRD", () => {
        const [snapshotClass] = ofType("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass");
        assert.deepEqual(validateClass(snapshotClass.state), []);
        assert.equal(snapshotClass.state.driver, "ebs.csi.aws.com");
        assert.equal(snapshotClass.state.deletionPolicy, "Retain");
        assert.ok(
            validateClass({
                ...volumeSnapshotClassObject({ name: "x", driver: "d", deletionPolicy: "Retain", parameters: {}, labels: {} }),
                deletionPolicy: "Keep",
            }).length > 0,
            "the validator bites",
        );
    });

    it("creates one valid SnapshotSchedule per PVC set, after the operator and the class", () => {
        const schedules = ofType("kubernetes:snapscheduler.backube/v1:SnapshotSchedule");
        assert.deepEqual(schedules.map((s) => s.state.metadata.name).sort(), [
            "qalita-dr-agents",
            "qalita-dr-postgresql-data",
            "qalita-dr-postgresql-dump",
            "qalita-dr-s3",
        ]);
        // A dependency on a component is a dependency on its custom resources.
        const prerequisites = [...ofType("kubernetes:helm.sh/v3:Release"), ...ofType("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass")].map(
            (r) => r.urn,
        );
        for (const schedule of schedules) {
            assert.deepEqual(validateSchedule(schedule.state), [], schedule.name);
            assert.equal(schedule.state.spec.snapshotTemplate.snapshotClassName, "qalita-dr-snapclass");
            const parent = resources.find((r) => r.type === "qalita-dr:snapshots:ElementSnapshots" && r.name === schedule.name.replace(/-schedule$/, ""))!;
            for (const urn of prerequisites) assert.ok(parent.dependencies.includes(urn), `${schedule.name} waits for ${urn}`);
        }
    });

    it("labels the worker store so that its schedule selects it, and passes both snapshot policies", () => {
        const [patch] = ofType("kubernetes:core/v1:PersistentVolumeClaimPatch");
        assert.equal(patch.state.metadata.name, "qalita-worker-store");
        assert.deepEqual(patch.state.metadata.labels, { "dr.qalita.io/element": "agents", "dr.qalita.io/pvc-set": "agents" });
        const plan: PlanResource[] = resources.map((r) => ({ urn: r.urn, type: r.type, props: r.state }));
        const release: PlanResource = {
            urn: "urn:pulumi:test::qalita-dr::kubernetes:helm.sh/v3:Release::qalita-release",
            type: "kubernetes:helm.sh/v3:Release",
            props: {
                chart: "qalita",
                name: "qalita",
                namespace: "qalita",
                values: { postgresql: { backup: { enabled: true } }, worker: { pvc: { enabled: true } } },
            },
        };
        assert.deepEqual(pvcSnapshotScheduled.check([...plan, release]), []);
        assert.deepEqual(snapshotRetentionSafe.check(plan), []);
    });
});

describe("PvcRestore component", () => {
    const restore = {
        pvcSet: "postgresql-data" as const,
        snapshot: "data-qalita-postgresql-0-qalita-dr-postgresql-data-202611240200",
        accessModes: ["ReadWriteOnce" as const],
    };

    it("clones the snapshot into a PVC sized from its restoreSize, kept when the config is unset", async () => {
        const component = new PvcRestore("restore-data", { namespace: "qalita", release: "qalita", restore });
        assert.equal(await settled(component.pvcName), "data-qalita-postgresql-0-restored");
        assert.equal(await settled(component.storage), "8Gi");
        const [pvc] = registered("restore-data").filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim");
        new PersistentVolumeClaim(pvc.state).validate();
        assert.deepEqual(pvc.state.spec.dataSource, { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: restore.snapshot });
        assert.deepEqual(pvc.state.spec.accessModes, ["ReadWriteOnce"]);
        assert.equal(pvc.state.metadata.labels["app.kubernetes.io/component"], undefined, "a side-by-side copy is not snapshotted by the schedule");
        assert.equal(pvc.retainOnDelete, true);
        const [read] = registered("restore-data").filter((r) => r.type === "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot");
        assert.ok(read, "the VolumeSnapshot is read, not created");
    });

    it("takes the original's name and labels to replace it, with the configured class and size", async () => {
        const component = new PvcRestore("restore-swap", {
            namespace: "qalita",
            release: "qalita",
            restore: { ...restore, pvcName: "data-qalita-postgresql-0", storageClass: "gp3", size: "20Gi" },
        });
        await settled(component.pvcName);
        const [pvc] = registered("restore-swap").filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim");
        new PersistentVolumeClaim(pvc.state).validate();
        assert.equal(pvc.state.spec.storageClassName, "gp3");
        assert.equal(pvc.state.spec.resources.requests.storage, "20Gi");
        assert.deepEqual(pvc.state.metadata.labels, {
            "app.kubernetes.io/name": "postgresql",
            "app.kubernetes.io/instance": "qalita",
            "app.kubernetes.io/component": "primary",
        });
    });
});
