// Point-in-time recovery in the offline plan (docs/pitr.md): with elements.postgresql.pitr on, the
// receiver, the base-backup and copy CronJobs, the role's Job, the archive PVC, the chart values and
// the alerts; with restore.postgresql.source pitr, the recovery Job and everything else standing
// aside. Objects are validated against kubernetes-models' schemas, pods against the restricted PSS.
import { strict as assert } from "node:assert";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { PITR_ROLE, PITR_SLOT_METRIC } from "../../contracts/pitr";
import { PrometheusRule } from "../support/prometheus-operator.mjs";
import { planJson, PROJECT_DIR } from "../support/plan-cli";
import { assertRestrictedPod } from "../support/pod-security";

const byType = (plan: any, type: string) => plan.steps.filter((step: any) => step.newState.type === type).map((step: any) => step.newState.inputs);
const named = (plan: any, type: string, name: string) => byType(plan, type).find((inputs: any) => inputs.metadata?.name === name);
const envOf = (container: any) => Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.value ?? entry.valueFrom]));

describe("point-in-time recovery in the plan", () => {
    let plan: any;
    let restore: any;
    before(() => {
        plan = planJson("pitr");
        restore = planJson("pitr-restore");
    });

    it("renders the receiver, the base backups, their copy, the role's Job and the archive PVC — valid, restricted, as the chart's uid", () => {
        const receiver = named(plan, "kubernetes:apps/v1:Deployment", "qalita-dr-pitr-wal-receiver");
        new Deployment(receiver).validate();
        assert.equal(receiver.spec.replicas, 1);
        assert.equal(receiver.spec.strategy.type, "Recreate", "one receiver per slot");
        const pod = receiver.spec.template.spec;
        assertRestrictedPod(pod, "receiver");
        assert.equal(pod.restartPolicy, "Always");
        assert.deepEqual([pod.securityContext.runAsUser, pod.securityContext.fsGroup], [1001, 1001]);
        assert.equal(pod.containers[0].image, "qalita.azurecr.io/postgresql:15.4.0", "the release's image");
        assert.deepEqual(pod.imagePullSecrets, [{ name: "qalita-platform-dockerregistry" }]);
        assert.equal(envOf(pod.containers[0]).PGUSER, PITR_ROLE);

        for (const name of ["qalita-dr-pitr-base-backup", "qalita-dr-pitr-offsite"]) {
            const cronJob = named(plan, "kubernetes:batch/v1:CronJob", name);
            new CronJob(cronJob).validate();
            const jobPod = cronJob.spec.jobTemplate.spec.template.spec;
            assertRestrictedPod(jobPod, name);
            assert.equal(jobPod.securityContext.runAsUser, 1001, `${name} reads the archive's 0600 files`);
            assert.ok(jobPod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution, `${name} runs beside the receiver (RWO PVC)`);
            assert.equal(cronJob.spec.suspend, false);
        }
        const copy = named(plan, "kubernetes:batch/v1:CronJob", "qalita-dr-pitr-offsite").spec.jobTemplate.spec.template.spec;
        const env = envOf(copy.containers[0]);
        assert.equal(env.DR_DEST_PREFIX, "postgresql/pitr", "under the element's cold-storage prefix");
        assert.ok(env.DR_DEST_KMS_KEY_ARN, "SSE-KMS with the stack's key");
        assert.ok(copy.volumes.find((volume: any) => volume.persistentVolumeClaim?.claimName === "qalita-dr-pitr").persistentVolumeClaim.readOnly);
        const scripts = named(plan, "kubernetes:core/v1:ConfigMap", "qalita-dr-pitr-offsite-scripts").data;
        assert.match(scripts["rclone-dest.sh"], /RCLONE_CONFIG_DEST_SERVER_SIDE_ENCRYPTION=aws:kms RCLONE_CONFIG_DEST_SSE_KMS_KEY_ID=/);

        const role = named(plan, "kubernetes:batch/v1:Job", "qalita-dr-pitr-role");
        new Job(role).validate();
        assertRestrictedPod(role.spec.template.spec, "role");
        const claim = named(plan, "kubernetes:core/v1:PersistentVolumeClaim", "qalita-dr-pitr");
        new PersistentVolumeClaim(claim).validate();
        assert.equal(claim.spec.resources.requests.storage, "30Gi");
        assert.ok(named(plan, "kubernetes:core/v1:Secret", "qalita-dr-pitr-replication"), "the role's password, in a Secret");
    });

    it("sets the chart values: the chart's own pg_hba entries plus the role's, max_slot_wal_keep_size after the user's own configuration, the slot's metric", () => {
        const postgresql = byType(plan, "kubernetes:helm.sh/v3:Release")[0].values.postgresql;
        const hba: string = postgresql.primary.pgHbaConfiguration;
        for (const line of [/^host +all +all +0\.0\.0\.0\/0 +md5$/m, /^local +all +all +md5$/m, /^host +all +all +::1\/128 +md5$/m])
            assert.match(hba, line, "Bitnami's default entry kept");
        assert.match(hba, new RegExp(`^host +replication +${PITR_ROLE} +0\\.0\\.0\\.0/0 +scram-sha-256$`, "m"));
        assert.doesNotMatch(hba, /trust/, "no entry without a password");
        const conf: string = postgresql.primary.extendedConfiguration;
        assert.match(conf, /^log_min_duration_statement = 2000$/m, "the user's extended configuration is kept");
        assert.match(conf, /^max_slot_wal_keep_size = 4GB$/m);
        assert.equal(postgresql.metrics.enabled, true);
        assert.match(postgresql.metrics.customMetrics[PITR_SLOT_METRIC].query, /FROM pg_replication_slots WHERE slot_name = 'qalita_dr_pitr'/);
        assert.equal(postgresql.backup.enabled, true, "the dump stays");
    });

    it("alerts on the receiver and its slot, and on every PITR CronJob's freshness, in the stack's PrometheusRule", () => {
        const [rule] = byType(plan, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        new PrometheusRule({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", ...rule }).validate();
        const alerts = rule.spec.groups.flatMap((group: any) => group.rules.map((r: any) => r.alert));
        for (const alert of [
            "QalitaDrPitrReceiverDown",
            "QalitaDrPitrSlotInactive",
            "QalitaDrPitrSlotLag",
            "QalitaDrPitrSlotLost",
            "QalitaDrPostgresqlPitrBaseBackupStale",
            "QalitaDrPostgresqlPitrOffsiteStale",
        ])
            assert.ok(alerts.includes(alert), alert);
        const lag = rule.spec.groups.flatMap((group: any) => group.rules).find((r: any) => r.alert === "QalitaDrPitrSlotLag");
        assert.match(lag.expr, new RegExp(`> ${2 * 2 ** 30}$`), "half of max_slot_wal_keep_size (4GB)");
    });

    it("with restore.postgresql.source pitr: the recovery Job (fetching from the bucket first), the receiver scaled to 0, the CronJobs suspended", () => {
        const job = named(restore, "kubernetes:batch/v1:Job", "qalita-dr-pitr-restore-20260314t082653z");
        assert.ok(job, "named after its target, in UTC");
        new Job(job).validate();
        const pod = job.spec.template.spec;
        assertRestrictedPod(pod, "restore");
        assert.deepEqual(
            pod.initContainers.map((container: any) => container.name),
            ["rclone", "fetch"],
        );
        assert.equal(envOf(pod.containers[0]).DR_PITR_TARGET, "2026-03-14T09:26:53+01:00");
        assert.equal(pod.volumes.find((volume: any) => volume.name === "data").persistentVolumeClaim.claimName, "data-qalita-postgresql-0");
        assert.equal(pod.securityContext.runAsUser, 1001, "writes a data directory the chart's PostgreSQL owns");
        assert.equal(named(restore, "kubernetes:apps/v1:Deployment", "qalita-dr-pitr-wal-receiver").spec.replicas, 0);
        for (const name of ["qalita-dr-pitr-base-backup", "qalita-dr-pitr-offsite"])
            assert.equal(named(restore, "kubernetes:batch/v1:CronJob", name).spec.suspend, true);
    });

    it("shows its two paths in the posture, with the RPO and RTO the benchmark measured", () => {
        const outputs = plan.steps.find((step: any) => step.newState.type === "pulumi:pulumi:Stack").newState.outputs;
        const row = outputs.drPosture.find((r: any) => r.element === "postgresql");
        const path = (mechanism: string) => row.paths.find((p: any) => p.mechanism === mechanism);
        assert.equal(path("pitr").rpoHours, 0, "no committed transaction lost (bench/pg-pitr.ts)");
        assert.match(path("pitr").rto, /measured: .* per GiB of WAL since the base backup/);
        assert.equal(path("pitr").monitoring.watches, "CronJob qalita/qalita-dr-pitr-base-backup");
        assert.equal(path("pitr-offsite").rpoHours, 5 / 60, "the copy's interval");
        assert.match(path("pitr-offsite").destination, /^s3:\/\/qalita-dr-pitr\/postgresql\/pitr\//);
        assert.equal(row.rpoHours, 0);
        assert.equal(outputs.postgresqlJobs.pitr.receiverDeployment, "qalita-dr-pitr-wal-receiver");
    });

    it("is off by default: the dev stack plans none of it", () => {
        const dev = planJson("dev", PROJECT_DIR);
        assert.deepEqual(byType(dev, "kubernetes:apps/v1:Deployment"), []);
        assert.equal(byType(dev, "kubernetes:helm.sh/v3:Release")[0].values.postgresql.primary, undefined);
    });
});
