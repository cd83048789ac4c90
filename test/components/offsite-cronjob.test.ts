import { strict as assert } from "node:assert";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { agentsCopyArgs, agentsCopyFiles } from "../../components/agents/offsite-spec";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { ColdDestination } from "../../components/offsite/destination";
import { postgresCopyArgs, postgresCopyFiles } from "../../components/postgresql/offsite-spec";
import { seaweedfsCopyArgs, seaweedfsCopyFiles } from "../../components/seaweedfs/offsite-spec";
import { assertRestrictedPod } from "../support/pod-security";

const args = {
    name: "qalita-dr-postgresql-offsite",
    namespace: "qalita",
    labels: { "dr.qalita.io/element": "postgresql", "dr.qalita.io/mechanism": "offsite-copy" },
    schedule: "0 2 * * *",
    serviceAccountName: "qalita-dr-postgresql-offsite",
    configMapName: "qalita-dr-postgresql-offsite-scripts",
    script: "offsite-copy.sh",
    claims: [{ claimName: "qalita-postgresql-pgdumpall", mountPath: "/backup/pgdump" }],
    env: { DR_DEST_BUCKET: "qalita-dr-dev", DR_DEST_PREFIX: "postgresql" },
    secretEnv: [{ name: "DR_DEST_ACCESS_KEY_ID", secretName: "qalita-dr-backup-writer", key: "AWS_ACCESS_KEY_ID" }],
    supplementalGroups: [1001],
};

describe("offsite copy CronJob", () => {
    const spec = copyCronJobSpec(args);

    it("is a valid batch/v1 CronJob", () => {
        new CronJob({ metadata: { name: args.name, namespace: args.namespace }, spec: spec as any }).validate();
    });

    it("meets the restricted Pod Security Standard", () => {
        assertRestrictedPod(spec.jobTemplate.spec.template.spec, args.name);
    });

    it("never overlaps, retries a missed run, bounds each run and keeps failures", () => {
        assert.equal(spec.concurrencyPolicy, "Forbid");
        assert.ok(spec.startingDeadlineSeconds > 0);
        assert.ok(spec.jobTemplate.spec.backoffLimit <= 3);
        assert.ok(spec.jobTemplate.spec.activeDeadlineSeconds > 0);
        assert.ok(spec.failedJobsHistoryLimit >= 1);
    });

    it("mounts the data read-only and takes credentials from a Secret only", () => {
        const pod: any = spec.jobTemplate.spec.template.spec;
        const data = pod.volumes.find((volume: any) => volume.persistentVolumeClaim);
        assert.equal(data?.persistentVolumeClaim?.readOnly, true);
        const mount = pod.containers[0].volumeMounts.find((m: any) => m.mountPath === "/backup/pgdump");
        assert.equal(mount?.readOnly, true);
        const credential = pod.containers[0].env.find((env: any) => env.name === "DR_DEST_ACCESS_KEY_ID");
        assert.deepEqual(credential.valueFrom, { secretKeyRef: { name: "qalita-dr-backup-writer", key: "AWS_ACCESS_KEY_ID" } });
        assert.equal(pod.automountServiceAccountToken, false);
    });

    it("reads the Bitnami dump files through the chart's fsGroup", () => {
        assert.deepEqual(spec.jobTemplate.spec.template.spec.securityContext.supplementalGroups, [1001]);
    });
});

describe("every element's offsite copy and the heartbeat", () => {
    const destination: ColdDestination = {
        bucket: "qalita-dr-dev",
        region: "eu-west-3",
        kmsKeyArn: "arn:aws:kms:eu-west-3:123456789012:key/k",
        credentials: { kind: "secret", secretName: "qalita-dr-backup-writer" },
    };
    const settings = { namespace: "qalita", release: "qalita", schedule: "0 3 * * 0", destination, prefix: "x/" };
    const copies = {
        postgresql: { args: postgresCopyArgs({ ...settings, dumpMaxAgeSeconds: 93600 }), files: postgresCopyFiles() },
        s3: { args: seaweedfsCopyArgs(settings), files: seaweedfsCopyFiles() },
        agents: { args: agentsCopyArgs({ ...settings, cryptSecretName: "crypt", workerPodLabels: { app: "w" } }), files: agentsCopyFiles() },
    };

    for (const [element, { args, files }] of Object.entries(copies)) {
        it(`${element}: reads the URL from the heartbeat Secret, optional (the pod starts without it), and ships heartbeat.sh beside its script`, () => {
            const pod: any = copyCronJobSpec({ ...args, serviceAccountName: "sa", configMapName: "cm" }).jobTemplate.spec.template.spec;
            new CronJob({
                metadata: { name: args.name, namespace: "qalita" },
                spec: copyCronJobSpec({ ...args, serviceAccountName: "sa", configMapName: "cm" }) as any,
            }).validate();
            const env = pod.containers[0].env.find((entry: any) => entry.name === "DR_HEARTBEAT_URL");
            assert.deepEqual(env.valueFrom, { secretKeyRef: { name: "qalita-dr-heartbeat", key: "url", optional: true } });
            assert.ok(files["heartbeat.sh"], "heartbeat.sh in the ConfigMap");
            assert.match(files[args.script], /source "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/heartbeat\.sh"\ntrap heartbeat_on_exit EXIT/);
        });
    }

    it("postgresql: the copy relays the dump's outcome, judged against the dump's freshness budget", () => {
        assert.equal(copies.postgresql.args.env.DR_DUMP_MAX_AGE_SECONDS, "93600");
        assert.equal(postgresCopyArgs(settings).env.DR_DUMP_MAX_AGE_SECONDS, undefined);
    });
});
