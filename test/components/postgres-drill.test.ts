// The PostgreSQL restore drill's CronJob (components/postgresql/drill-spec.ts), pure: a restricted
// pod on the release's image, a throwaway server in scratch volumes sized from config, the bucket
// only read, the dump PVC only read; and where it reports (drill-status-spec.ts): a report
// container with the only API token of the pod, allowed by its Role to do exactly that.
import { strict as assert } from "node:assert";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { postgresDrillFiles } from "../../components/postgresql/drill";
import { drillCronJobSpec } from "../../components/postgresql/drill-spec";
import { drillStatusObjects } from "../../components/postgresql/drill-status-spec";
import { drLabels } from "../../contracts/labels";
import { drillCronJobName, drillStatusConfigMapName, heartbeatSecretName } from "../../contracts/names";
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
            const drill = pod.initContainers.find((c: any) => c.name === "drill");
            const report = pod.containers.find((c: any) => c.name === "report");

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
            });

            it("only reads the dump it drills", () => {
                const input = drill.volumeMounts.find((m: any) => !["server", "scripts", "tmp", "report"].includes(m.name));
                assert.equal(input.readOnly, true);
            });

            it("runs the drill last among init containers, then reports in the only container, the curl image's sh", () => {
                assert.equal(pod.initContainers.at(-1).name, "drill");
                assert.deepEqual(
                    pod.containers.map((c: any) => c.name),
                    ["report"],
                );
                assert.equal(report.image, "docker.io/curlimages/curl:8.11.0");
                assert.deepEqual(report.command, ["/bin/sh", "/scripts/drill-report.sh"]);
                const reportDir = envOf(drill).DR_DRILL_REPORT_DIR;
                assert.equal(envOf(report).DR_DRILL_REPORT_DIR, reportDir);
                assert.equal(drill.volumeMounts.find((m: any) => m.mountPath === reportDir).name, "report");
                assert.equal(report.volumeMounts.find((m: any) => m.mountPath === reportDir).readOnly, true);
                assert.deepEqual(
                    {
                        element: envOf(report).DR_DRILL_ELEMENT,
                        configMap: envOf(report).DR_STATUS_CONFIGMAP,
                        cronJob: envOf(report).DR_DRILL_CRONJOB,
                        api: envOf(report).DR_KUBE_API,
                    },
                    {
                        element: "postgresql",
                        configMap: drillStatusConfigMapName("qalita"),
                        cronJob: drillCronJobName("qalita"),
                        api: "https://kubernetes.default.svc",
                    },
                );
            });

            it("gives the API token to the report container only: no automount, a projected volume only it mounts", () => {
                assert.equal(pod.automountServiceAccountToken, false);
                const token = pod.volumes.find((v: any) => v.projected);
                assert.deepEqual(
                    token.projected.sources.map((source: any) => Object.keys(source)[0]),
                    ["serviceAccountToken", "configMap", "downwardAPI"],
                );
                const mounting = [...pod.initContainers, ...pod.containers].filter((c: any) => c.volumeMounts.some((m: any) => m.name === token.name));
                assert.deepEqual(
                    mounting.map((c: any) => c.name),
                    ["report"],
                );
                const mount = report.volumeMounts.find((m: any) => m.name === token.name);
                assert.deepEqual([mount.mountPath, mount.readOnly], ["/var/run/secrets/kubernetes.io/serviceaccount", true]);
                assert.equal(envOf(report).DR_SERVICE_ACCOUNT_DIR, mount.mountPath);
            });

            it("pings the heartbeat from the Secret when it exists: the pod starts without it", () => {
                assert.deepEqual(envOf(report).DR_HEARTBEAT_URL, { secretKeyRef: { name: heartbeatSecretName("qalita"), key: "url", optional: true } });
                assert.equal(envOf(drill).DR_HEARTBEAT_URL, undefined, "the drill container has no HTTP client");
            });
        });
    }

    it("from cold: fetches with drill-fetch.sh in the shell image first, credentials from the Secret only", () => {
        const pod: any = drillCronJobSpec({ ...base, source: "cold", cold }).jobTemplate.spec.template.spec;
        assert.deepEqual(
            pod.initContainers.map((c: any) => c.name),
            ["rclone", "fetch", "drill"],
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
            ["drill"],
        );
    });

    it("pushes metrics only when a Pushgateway is configured", () => {
        const drillEnv = (url?: string) =>
            envOf((drillCronJobSpec({ ...base, source: "pvc", pushgatewayUrl: url }) as any).jobTemplate.spec.template.spec.initContainers.at(-1));
        assert.equal(drillEnv().DR_PUSHGATEWAY_URL, undefined);
        assert.equal(drillEnv("http://prometheus-pushgateway.monitoring:9091").DR_PUSHGATEWAY_URL, "http://prometheus-pushgateway.monitoring:9091");
    });

    it("ships the scripts drill.sh runs and the report, and the fetch only for a cold source", () => {
        assert.deepEqual(Object.keys(postgresDrillFiles("pvc")).sort(), ["drill-report.sh", "drill.sh", "restore.sh"]);
        assert.deepEqual(Object.keys(postgresDrillFiles("cold")).sort(), [
            "drill-fetch.sh",
            "drill-report.sh",
            "drill.sh",
            "fetch-dump.sh",
            "rclone-dest.sh",
            "restore.sh",
        ]);
    });

    describe("where it reports", () => {
        const status = drillStatusObjects({ release: "qalita", namespace: "qalita", labels: base.labels, serviceAccountName: base.serviceAccountName });

        it("are a valid ConfigMap, Role and RoleBinding; the ConfigMap starts empty (the drill writes it)", () => {
            new ConfigMap(status.configMap).validate();
            new Role(status.role).validate();
            new RoleBinding(status.roleBinding).validate();
            assert.equal(status.configMap.metadata.name, "qalita-dr-drill-status");
            assert.equal((status.configMap as any).data, undefined);
        });

        it("the Role allows writing that one ConfigMap, creating Events and reading the drill's CronJob — nothing else", () => {
            assert.deepEqual(status.role.rules, [
                { apiGroups: [""], resources: ["configmaps"], resourceNames: ["qalita-dr-drill-status"], verbs: ["get", "patch", "update"] },
                { apiGroups: [""], resources: ["events"], verbs: ["create"] },
                { apiGroups: ["batch"], resources: ["cronjobs"], resourceNames: [drillCronJobName("qalita")], verbs: ["get"] },
            ]);
            assert.ok(
                status.role.rules.every((rule) => !rule.verbs.includes("*") && !rule.resources.includes("*")),
                "no wildcard",
            );
        });

        it("binds it to the drill's ServiceAccount, in its namespace", () => {
            assert.deepEqual(status.roleBinding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: status.role.metadata.name });
            assert.deepEqual(status.roleBinding.subjects, [{ kind: "ServiceAccount", name: drillCronJobName("qalita"), namespace: "qalita" }]);
        });
    });
});
