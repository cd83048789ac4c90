// The PostgreSQL restore drill's CronJob (components/postgresql/drill-spec.ts), pure: a restricted
// pod on the release's image, a throwaway server in scratch volumes sized from config, the bucket
// only read, the dump PVC only read.
import { strict as assert } from "node:assert";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { postgresDrillFiles } from "../../components/postgresql/drill";
import { drillCronJobSpec } from "../../components/postgresql/drill-spec";
import { drLabels } from "../../contracts/labels";
import { drillCronJobName } from "../../contracts/names";
import { postgresqlImage } from "../../contracts/qalita-chart";
import { assertRestrictedPod } from "../support/pod-security";

const base = {
    labels: drLabels("postgresql", "restore-drill"),
    release: "qalita",
    image: postgresqlImage({}),
    serviceAccountName: drillCronJobName("qalita"),
    configMapName: `${drillCronJobName("qalita")}-scripts`,
    schedule: "0 5 * * 6",
    scratchSize: "30Gi",
};
const cold = {
    env: { DR_DEST_BUCKET: "qalita-dr-dev", DR_DEST_REGION: "eu-west-3", DR_DEST_PREFIX: "postgresql" },
    secretEnv: [{ name: "DR_DEST_ACCESS_KEY_ID", secretName: "qalita-dr-backup-writer", key: "AWS_ACCESS_KEY_ID" }],
};
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("PostgreSQL restore drill CronJob", () => {
    for (const source of ["cold", "pvc"] as const) {
        describe(`from ${source}`, () => {
            const spec: any = drillCronJobSpec({ ...base, source, cold: source === "cold" ? cold : undefined });
            const pod = spec.jobTemplate.spec.template.spec;
            const drill = pod.containers.find((c: any) => c.name === "drill");

            it("is a valid batch/v1 CronJob meeting the restricted Pod Security Standard", () => {
                new CronJob({ metadata: { name: drillCronJobName("qalita"), namespace: "qalita" }, spec }).validate();
                assertRestrictedPod(pod, `drill from ${source}`);
            });

            it("never overlaps, still runs when started late, is bounded and never retried blindly", () => {
                assert.equal(spec.concurrencyPolicy, "Forbid");
                assert.equal(spec.startingDeadlineSeconds, 6 * 3600);
                assert.equal(spec.jobTemplate.spec.activeDeadlineSeconds, 12 * 3600);
                assert.equal(spec.jobTemplate.spec.backoffLimit, 0);
                assert.deepEqual(spec.jobTemplate.spec.template.metadata.labels, {
                    "dr.qalita.io/element": "postgresql",
                    "dr.qalita.io/mechanism": "restore-drill",
                    "app.kubernetes.io/part-of": "qalita-dr",
                });
            });

            it("runs drill.sh on the release's PostgreSQL image, with its pull secret, the server in a scratch volume sized from config", () => {
                assert.equal(drill.image, "qalita.azurecr.io/postgresql:15.4.0");
                assert.deepEqual(drill.command, ["/bin/bash", "/scripts/drill.sh"]);
                assert.deepEqual(pod.imagePullSecrets, [{ name: "qalita-platform-dockerregistry" }]);
                assert.deepEqual(pod.volumes.find((v: any) => v.name === "server").emptyDir, { sizeLimit: "30Gi" });
                assert.equal(envOf(drill).DR_DRILL_DIR, drill.volumeMounts.find((m: any) => m.name === "server").mountPath);
                assert.equal(envOf(drill).DR_DRILL_SOURCE, source);
                assert.equal(pod.automountServiceAccountToken, false, "no API access: it needs none");
            });

            it("only reads the dump it drills", () => {
                const input = drill.volumeMounts.find((m: any) => m.name !== "server" && m.name !== "scripts" && m.name !== "tmp");
                assert.equal(input.readOnly, true);
            });
        });
    }

    it("from cold: fetches with drill-fetch.sh in the shell image first, credentials from the Secret only", () => {
        const pod: any = drillCronJobSpec({ ...base, source: "cold", cold }).jobTemplate.spec.template.spec;
        assert.deepEqual(
            pod.initContainers.map((c: any) => c.name),
            ["rclone", "fetch"],
        );
        assert.deepEqual(pod.initContainers[1].command, ["/bin/bash", "/scripts/drill-fetch.sh"]);
        assert.deepEqual(envOf(pod.initContainers[1]).DR_DEST_ACCESS_KEY_ID, { secretKeyRef: { name: "qalita-dr-backup-writer", key: "AWS_ACCESS_KEY_ID" } });
        assert.deepEqual(pod.volumes.find((v: any) => v.name === "dump").emptyDir, { sizeLimit: "30Gi" });
        assert.equal(pod.securityContext.supplementalGroups, undefined);
        assert.throws(() => drillCronJobSpec({ ...base, source: "cold" }), /needs the cold-storage destination/);
    });

    it("from pvc: the dump PVC read-only through Bitnami's group, beside a running dump", () => {
        const pod: any = drillCronJobSpec({ ...base, source: "pvc" }).jobTemplate.spec.template.spec;
        assert.deepEqual(pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim, {
            claimName: "qalita-postgresql-pgdumpall",
            readOnly: true,
        });
        assert.deepEqual(pod.securityContext.supplementalGroups, [1001]);
        assert.ok(pod.affinity.podAffinity);
        assert.deepEqual(
            pod.initContainers.map((c: any) => c.name),
            [],
        );
    });

    it("pushes metrics only when a Pushgateway is configured", () => {
        const drillEnv = (url?: string) =>
            envOf((drillCronJobSpec({ ...base, source: "pvc", pushgatewayUrl: url }) as any).jobTemplate.spec.template.spec.containers[0]);
        assert.equal(drillEnv().DR_PUSHGATEWAY_URL, undefined);
        assert.equal(drillEnv("http://prometheus-pushgateway.monitoring:9091").DR_PUSHGATEWAY_URL, "http://prometheus-pushgateway.monitoring:9091");
    });

    it("ships the scripts drill.sh runs, and the fetch only for a cold source", () => {
        assert.deepEqual(Object.keys(postgresDrillFiles("pvc")).sort(), ["drill.sh", "restore.sh"]);
        assert.deepEqual(Object.keys(postgresDrillFiles("cold")).sort(), ["drill-fetch.sh", "drill.sh", "fetch-dump.sh", "rclone-dest.sh", "restore.sh"]);
    });
});
