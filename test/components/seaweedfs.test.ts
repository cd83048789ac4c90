import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { SeaweedfsDr } from "../../components/seaweedfs";
import { SEAWEEDFS_SCRIPT, seaweedfsCopyArgs, SeaweedfsCopySettings } from "../../components/seaweedfs/offsite-spec";
import { readScript } from "../../components/scripts";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { assertRestrictedPod } from "../support/pod-security";

const SCRIPT = readScript("seaweedfs", SEAWEEDFS_SCRIPT);
/** Variables the script's header documents: its environment contract. */
const DOCUMENTED = new Set([...SCRIPT.split("\n# Other rclone options")[0].matchAll(/^#\s+((?:DR|RCLONE)_[A-Z_]+)/gm)].map((match) => match[1]));
/** What OffsiteCopy itself sets in every copy container. */
const RUNTIME = new Set(["PATH", "SSL_CERT_FILE", "HOME"]);

const settings: SeaweedfsCopySettings = {
    namespace: "qalita",
    release: "qalita",
    schedule: "0 3 * * 0",
    destination: {
        bucket: "qalita-dr-dev",
        region: "eu-west-3",
        kmsKeyArn: "arn:aws:kms:eu-west-3:111122223333:key/test",
        credentials: { kind: "secret", secretName: "qalita-dr-backup-writer" },
    },
    prefix: "s3/",
};
const podOf = (s: SeaweedfsCopySettings) => {
    const spec = copyCronJobSpec({ ...seaweedfsCopyArgs(s), serviceAccountName: "sa", configMapName: "cm" });
    return { spec, pod: spec.jobTemplate.spec.template.spec as any };
};
const envOf = (pod: any) => Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("SeaweedFS offsite copy", () => {
    it("is a valid, restricted CronJob on the s3 element's UTC schedule", () => {
        const { spec, pod } = podOf(settings);
        new CronJob({ metadata: { name: "qalita-dr-s3-offsite", namespace: "qalita" }, spec: spec as any }).validate();
        assertRestrictedPod(pod, "seaweedfs offsite copy");
        assert.equal(spec.schedule, "0 3 * * 0");
        assert.equal(spec.concurrencyPolicy, "Forbid");
    });

    it("reads SeaweedFS's S3 gateway with the release's Secret, bandwidth-bounded, into s3/", () => {
        const env = envOf(podOf(settings).pod);
        assert.equal(env.DR_SOURCE_ENDPOINT, "http://seaweedfs-s3:8333");
        assert.equal(env.DR_BWLIMIT, "20M");
        assert.equal(env.DR_DEST_PREFIX, "s3");
        assert.equal(env.DR_DEST_BUCKET, "qalita-dr-dev");
        assert.deepEqual(env.DR_SOURCE_ACCESS_KEY_ID, { secretKeyRef: { name: "seaweedfs-s3-secret", key: "admin_access_key_id" } });
        assert.deepEqual(env.DR_SOURCE_SECRET_ACCESS_KEY, { secretKeyRef: { name: "seaweedfs-s3-secret", key: "admin_secret_access_key" } });
        assert.deepEqual(env.DR_DEST_ACCESS_KEY_ID, { secretKeyRef: { name: "qalita-dr-backup-writer", key: "AWS_ACCESS_KEY_ID" } });
        assert.match(SCRIPT, /RCLONE_FLAGS=\(--checksum /, "checksums on: the script compares MD5 ETags");
    });

    it("sets only variables the script documents", () => {
        assert.ok(DOCUMENTED.has("DR_SOURCE_ENDPOINT") && DOCUMENTED.has("DR_BWLIMIT"), "the header was parsed");
        const variants: SeaweedfsCopySettings[] = [
            settings,
            {
                ...settings,
                buckets: ["logs", "packs"],
                bandwidthLimit: "5M",
                sourceCredentials: { kind: "secret", secretName: "reader", accessKeyIdKey: "id", secretAccessKeyKey: "key" },
            },
            {
                ...settings,
                sourceCredentials: { kind: "anonymous" },
                destination: { ...settings.destination, credentials: { kind: "irsa", roleArn: "arn:aws:iam::123456789012:role/x" } },
            },
        ];
        for (const variant of variants) {
            for (const name of Object.keys(envOf(podOf(variant).pod))) {
                assert.ok(RUNTIME.has(name) || DOCUMENTED.has(name), `${name} is not in the script's header`);
            }
        }
    });

    it("can copy chosen buckets anonymously, with IRSA on the destination side", () => {
        const env = envOf(
            podOf({
                ...settings,
                buckets: ["logs", "packs"],
                sourceCredentials: { kind: "anonymous" },
                destination: { ...settings.destination, credentials: { kind: "irsa", roleArn: "arn" } },
            }).pod,
        );
        assert.equal(env.DR_SOURCE_BUCKETS, "logs packs");
        assert.ok(!("DR_SOURCE_ACCESS_KEY_ID" in env) && !("DR_DEST_ACCESS_KEY_ID" in env));
    });
});

describe("SeaweedfsDr component", () => {
    it("deploys the copy script itself in a ConfigMap, with a labelled CronJob and its own ServiceAccount", async () => {
        const component = new SeaweedfsDr("seaweedfs-dr", settings);
        const cronJobName = await new Promise<string>((done) =>
            component.offsiteCronJob.apply((name) => {
                done(name);
                return name;
            }),
        );
        assert.equal(cronJobName, "qalita-dr-s3-offsite");
        const monitor = pulumi.runtime.getMonitor() as any;
        const mine = [...monitor.resources.values()].filter((r: any) => /::seaweedfs-dr(-|$)/.test(r.urn));
        const byType = (suffix: string) => mine.filter((r: any) => r.urn.includes(`${suffix}::`)).map((r: any) => r.state);
        assert.equal(mine.filter((r: any) => r.urn.includes("qalita-dr:seaweedfs:SeaweedfsDr::seaweedfs-dr")).length, 1);
        const [configMap] = byType("kubernetes:core/v1:ConfigMap");
        new ConfigMap(configMap).validate();
        assert.equal(configMap.data["offsite-copy.sh"], SCRIPT);
        const [cronJob] = byType("kubernetes:batch/v1:CronJob");
        assert.deepEqual(cronJob.metadata.labels, {
            "dr.qalita.io/element": "s3",
            "dr.qalita.io/mechanism": "offsite-copy",
            "app.kubernetes.io/part-of": "qalita-dr",
        });
        assert.equal(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName, "qalita-dr-s3-offsite");
        assert.equal(byType("kubernetes:core/v1:ServiceAccount").length, 1);
    });
});
