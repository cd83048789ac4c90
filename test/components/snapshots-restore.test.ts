import { strict as assert } from "node:assert";
import fc from "fast-check";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { PvcSetName } from "../../contracts/elements";
import { pvcSetClaims } from "../../contracts/snapshot-claims";
import { quantityBytes, restoredClaimObject, RestoreError, VolumeSnapshotState } from "../../components/snapshots/restore-pvc-spec";

const ready = (source?: string, restoreSize = "10Gi"): VolumeSnapshotState => ({
    spec: { source: source ? { persistentVolumeClaimName: source } : { volumeSnapshotContentName: "snapcontent-1" } },
    status: { readyToUse: true, restoreSize },
});
const request = (pvcSet: PvcSetName, extra: object = {}) => ({
    pvcSet,
    snapshot: "snap-1",
    accessModes: ["ReadWriteOnce" as const],
    namespace: "qalita",
    release: "qalita",
    known: pvcSetClaims(pvcSet, "qalita", "qalita").known,
    ...extra,
});

describe("PVC restored from a VolumeSnapshot", () => {
    it("is a valid PersistentVolumeClaim cloning the snapshot, named after the snapshotted PVC", () => {
        const pvc = restoredClaimObject(ready("data-filer-seaweedfs-filer-0"), request("s3"));
        new PersistentVolumeClaim(pvc).validate();
        assert.equal(pvc.metadata.name, "data-filer-seaweedfs-filer-0-restored");
        assert.equal(pvc.spec.resources.requests.storage, "10Gi");
        assert.deepEqual(pvc.spec.dataSource, { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "snap-1" });
        assert.equal(pvc.metadata.annotations["dr.qalita.io/restored-from"], "snap-1");
    });

    it("refuses a snapshot that is not ready, saying why and how to find a ready one", () => {
        const failed = { status: { readyToUse: false, error: { message: "driver timeout" } } };
        assert.throws(
            () => restoredClaimObject(failed, request("agents")),
            (error: Error) => error instanceof RestoreError && /not ready to use \(driver timeout\).*pvc-set=agents/.test(error.message),
        );
    });

    it("refuses a snapshot of another set's PVC", () => {
        assert.throws(
            () => restoredClaimObject(ready("qalita-worker-store"), request("postgresql-data")),
            /snapshot of PVC qalita-worker-store, which is not in the postgresql-data set/,
        );
    });

    it("needs a name when neither the snapshot nor the set names the original", () => {
        assert.throws(() => restoredClaimObject(ready(), request("s3")), /set restore\.pvc\.pvcName/);
        assert.equal(restoredClaimObject(ready(), request("postgresql-dump")).metadata.name, "qalita-postgresql-pgdumpall-restored");
    });

    it("never sizes the volume below restoreSize, and needs a size when the driver reports none", () => {
        assert.throws(
            () => restoredClaimObject(ready("qalita-worker-store", "10Gi"), request("agents", { size: "8Gi" })),
            /below the snapshot's restoreSize 10Gi/,
        );
        assert.equal(
            restoredClaimObject(ready("qalita-worker-store", "10737418240"), request("agents", { size: "20Gi" })).spec.resources.requests.storage,
            "20Gi",
        );
        assert.throws(() => restoredClaimObject({ status: { readyToUse: true } }, request("agents")), /reports no restoreSize; set restore\.pvc\.size/);
    });

    it("replacing a chart-made PVC gives back its labels and Helm's ownership marks", () => {
        const pvc = restoredClaimObject(ready("qalita-worker-store"), request("agents", { pvcName: "qalita-worker-store" }));
        assert.equal(pvc.metadata.labels["dr.qalita.io/pvc-set"], "agents");
        assert.equal(pvc.metadata.labels["app.kubernetes.io/managed-by"], "Helm");
        assert.equal(pvc.metadata.annotations["meta.helm.sh/release-name"], "qalita");
        const data = restoredClaimObject(ready("data-qalita-postgresql-0"), request("postgresql-data", { pvcName: "data-qalita-postgresql-0" }));
        assert.equal(data.metadata.annotations["meta.helm.sh/release-name"], undefined, "a StatefulSet's PVC is not Helm's");
    });

    it("reads Kubernetes quantities", () => {
        assert.equal(quantityBytes("8Gi"), 8 * 2 ** 30);
        assert.equal(quantityBytes("500M"), 5e8);
        assert.equal(quantityBytes("1.5Ti"), 1.5 * 2 ** 40);
        assert.equal(quantityBytes("1e9"), 1e9);
        assert.throws(() => quantityBytes("8GB"), RestoreError);
        assert.throws(() => quantityBytes("1ki"), RestoreError);
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom("", "k", "M", "G", "Ki", "Mi", "Gi", "Ti"), (n, suffix) => {
                const factor: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
                assert.equal(quantityBytes(`${n}${suffix}`), n * factor[suffix]);
            }),
        );
    });
});
