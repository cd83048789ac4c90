import { strict as assert } from "node:assert";
import { Job } from "kubernetes-models/batch/v1/Job";
import { restoreJobSpec } from "../../components/postgresql/restore-job-spec";
import { postgresqlImage } from "../../contracts/qalita-chart";
import { assertRestrictedPod } from "../support/pod-security";

const base = {
    name: "qalita-dr-restore",
    namespace: "qalita",
    labels: { "dr.qalita.io/element": "postgresql", "dr.qalita.io/action": "restore" },
    release: "qalita",
    serviceAccountName: "qalita-dr-restore",
    configMapName: "qalita-dr-restore-scripts",
    jobs: 2,
    replace: false,
    image: postgresqlImage({}),
};
const cold = {
    env: { DR_DEST_BUCKET: "qalita-dr-dev", DR_DEST_REGION: "eu-west-3", DR_DEST_PREFIX: "postgresql" },
    secretEnv: [{ name: "DR_DEST_ACCESS_KEY_ID", secretName: "qalita-dr-backup-writer", key: "AWS_ACCESS_KEY_ID" }],
    scratchSize: "20Gi",
};

describe("PostgreSQL restore Job", () => {
    for (const source of ["pvc", "cold"] as const) {
        describe(`from ${source}`, () => {
            const spec: any = restoreJobSpec({ ...base, from: "20261124T020000Z", source, ...(source === "cold" ? { cold } : {}) });
            const pod = spec.template.spec;

            it("runs the release's PostgreSQL image with its pull secret (a private registry)", () => {
                assert.equal(pod.containers[0].image, "qalita.azurecr.io/postgresql:15.4.0");
                assert.deepEqual(pod.imagePullSecrets, [{ name: "qalita-platform-dockerregistry" }]);
            });

            it("is a valid batch/v1 Job meeting the restricted Pod Security Standard", () => {
                new Job({ metadata: { name: "x", namespace: "qalita" }, spec }).validate();
                assertRestrictedPod(pod, `restore from ${source}`);
            });

            it("targets the release's PostgreSQL with the password from its Secret, and is not retried blindly", () => {
                const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
                assert.equal(env.PGHOST, "qalita-postgresql");
                assert.deepEqual(env.PGPASSWORD, { secretKeyRef: { name: "qalita-postgresql", key: "postgres-password" } });
                assert.equal(spec.backoffLimit, 0);
            });
        });
    }

    it("reads the dump PVC read-only for a pvc restore, with the dump id", () => {
        const pod: any = restoreJobSpec({ ...base, from: "latest", source: "pvc" }).template.spec;
        assert.deepEqual(pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim, {
            claimName: "qalita-postgresql-pgdumpall",
            readOnly: true,
        });
        assert.ok(pod.containers[0].env.some((e: any) => e.name === "DR_RESTORE_FROM" && e.value === "latest"));
        assert.deepEqual(pod.initContainers, []);
    });

    it("fetches from cold storage first, into bounded scratch space", () => {
        const pod: any = restoreJobSpec({ ...base, from: "latest", source: "cold", cold }).template.spec;
        assert.deepEqual(
            pod.initContainers.map((c: any) => c.name),
            ["rclone", "fetch"],
        );
        assert.equal(pod.volumes.find((v: any) => v.name === "restore").emptyDir.sizeLimit, "20Gi");
        assert.ok(pod.containers[0].env.some((e: any) => e.name === "DR_DUMP_DIR" && e.value === "/restore/dump"));
        assert.throws(() => restoreJobSpec({ ...base, from: "latest", source: "cold" }), /needs the cold-storage destination/);
    });
});
