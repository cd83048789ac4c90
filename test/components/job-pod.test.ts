// The one builder of the stack's job pods (components/jobs/pod.ts): what every Job and CronJob
// pod gets, and what it derives from its containers.
import { strict as assert } from "node:assert";
import { Job } from "kubernetes-models/batch/v1/Job";
import { jobSpec, scriptContainer, SCRIPTS_MOUNT, serviceAccountTokenVolume } from "../../components/jobs/pod";
import { assertRestrictedPod } from "../support/pod-security";

const pod = (over: Partial<Parameters<typeof jobSpec>[0]["pod"]> = {}) =>
    jobSpec({
        labels: { a: "b" },
        backoffLimit: 1,
        activeDeadlineSeconds: 60,
        pod: { serviceAccountName: "sa", configMapName: "cm", containers: [scriptContainer({ name: "run", script: "x.sh" })], ...over },
    });

describe("job pod builder", () => {
    it("gives every pod its header: own ServiceAccount without a token, never restarted, restricted, its scripts mounted", () => {
        const spec = pod();
        new Job({ metadata: { name: "x", namespace: "q" }, spec: spec as any }).validate();
        const p: any = spec.template.spec;
        assertRestrictedPod(p, "builder");
        assert.equal(p.serviceAccountName, "sa");
        assert.equal(p.automountServiceAccountToken, false);
        assert.equal(p.restartPolicy, "Never");
        assert.deepEqual(p.volumes.find((v: any) => v.name === "scripts").configMap, { name: "cm", defaultMode: 0o555 });
        assert.deepEqual(p.containers[0].command, ["/bin/bash", `${SCRIPTS_MOUNT}/x.sh`]);
        assert.equal(p.imagePullSecrets, undefined);
        assert.equal(p.affinity, undefined);
        assert.equal(p.securityContext.supplementalGroups, undefined);
        assert.equal(p.securityContext.fsGroup, undefined);
    });

    it("copies rclone in first exactly when a container runs it", () => {
        assert.deepEqual(
            pod().template.spec.initContainers.map((c) => c.name),
            ["rclone"],
        );
        const own = scriptContainer({ name: "own", script: "y.sh", image: "example.org/own:1.0", rclone: false });
        assert.deepEqual(pod({ containers: [own] }).template.spec.initContainers, []);
        assert.ok(!own.env.some((e) => e.name === "PATH"));
        assert.ok(!own.volumeMounts.some((m) => m.name === "tools"));
        const fetch = scriptContainer({ name: "fetch", script: "f.sh" });
        assert.deepEqual(
            pod({ initContainers: [fetch], containers: [own] }).template.spec.initContainers.map((c) => c.name),
            ["rclone", "fetch"],
        );
    });

    it("runs a script with sh where the image has no bash; reads an optional Secret as optional", () => {
        const sh = scriptContainer({
            name: "report",
            script: "r.sh",
            shell: "sh",
            rclone: false,
            secretEnv: [
                { name: "A_TOKEN", secretName: "s", key: "k" },
                { name: "B_URL", secretName: "h", key: "url", optional: true },
            ],
        });
        assert.deepEqual(sh.command, ["/bin/sh", `${SCRIPTS_MOUNT}/r.sh`]);
        assert.deepEqual(
            sh.env.filter((e) => e.valueFrom).map((e) => e.valueFrom),
            [{ secretKeyRef: { name: "s", key: "k" } }, { secretKeyRef: { name: "h", key: "url", optional: true } }],
        );
    });

    it("declares the ServiceAccount token volume as the admission plugin would, for a pod that mounts it where needed only", () => {
        const spec = pod({ volumes: [serviceAccountTokenVolume("kube-api-access")] });
        new Job({ metadata: { name: "x", namespace: "q" }, spec: spec as any }).validate();
        const volume: any = spec.template.spec.volumes.find((v) => v.name === "kube-api-access");
        assert.deepEqual(volume.projected.sources[0], { serviceAccountToken: { path: "token", expirationSeconds: 3607 } });
        assert.equal(spec.template.spec.automountServiceAccountToken, false);
    });

    it("sets pull secrets, groups and affinity only when given", () => {
        const affinity = {
            podAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "w" } }, topologyKey: "kubernetes.io/hostname" }],
            },
        };
        const p: any = pod({ imagePullSecrets: ["reg"], supplementalGroups: [1001], fsGroup: 65532, affinity }).template.spec;
        assert.deepEqual(p.imagePullSecrets, [{ name: "reg" }]);
        assert.deepEqual(p.securityContext.supplementalGroups, [1001]);
        assert.equal(p.securityContext.fsGroup, 65532);
        assert.deepEqual(p.affinity, affinity);
    });
});
