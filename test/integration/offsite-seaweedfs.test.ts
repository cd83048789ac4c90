// components/seaweedfs/scripts/offsite-copy.sh: one S3 API stands in for SeaweedFS (MD5 ETags),
// an AWS-like one (SSE-KMS: ETags that are not MD5s) for the cold-storage bucket; rclone copies
// between them for real. The script runs as the copy CronJob's pod runs it (EmulatedPod on the
// rendered spec: uid 65532, gid 65532, no supplementary group, no volume but its emptyDirs and
// ConfigMap; env from the spec, credentials from its Secrets, Services mapped to the stand-ins).
// Each run pings a heartbeat stand-in with its outcome.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { seaweedfsCopyArgs, seaweedfsCopyFiles } from "../../components/seaweedfs/offsite-spec";
import { QALITA_S3_SECRET } from "../../components/seaweedfs/source-credentials";
import { EmulatedPod, requireRoot, withEnv } from "../support/pod-run";
import { describeRun, requireRclone, ScriptResult } from "../support/rclone";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { S3Server, startS3Server } from "../support/s3-server";
import { HEARTBEAT_SECRET_KEY, heartbeatSecretName } from "../../contracts/names";
import { Heartbeat, startHeartbeat } from "../support/heartbeat";

const COLD = "cold";
const WRITER_SECRET = "qalita-dr-backup-writer";

describe("seaweedfs offsite copy (rclone S3 → S3), as the copy pod runs it", function () {
    let seaweed: S3Server;
    let cold: AwsS3;
    let heartbeat: Heartbeat;
    const outputs: ScriptResult[] = [];
    // bucket → key → bytes, as QALITA stores logs and pack archives.
    const objects: Record<string, Record<string, Buffer>> = {
        logs: {
            "2026/11/24/job-41.log": Buffer.from("analysis started\nanalysis done\n"),
            "2026/11/24/deep/nested/job-42.log": Buffer.from("x".repeat(10_000)),
        },
        packs: {
            "outlier_detection/1.2.0/pack.zip": randomBytes(256 * 1024),
            "README.md": Buffer.from("# packs\n"),
        },
    };

    const pods: EmulatedPod[] = [];

    const copyPodSpec = () =>
        copyCronJobSpec({
            ...seaweedfsCopyArgs({
                namespace: "qalita",
                release: "qalita",
                schedule: "0 3 * * 0",
                destination: { bucket: COLD, region: "eu-west-3", kmsKeyArn: cold.kmsKeyArn, credentials: { kind: "secret", secretName: WRITER_SECRET } },
                prefix: "s3/",
            }),
            serviceAccountName: "sa",
            configMapName: "scripts",
        }).jobTemplate.spec.template.spec;
    /** The copy pod, its Services answering on the stand-ins (`network` may point one elsewhere). */
    const runPod = async (spec: any, network: Record<string, string> = {}, ping: Heartbeat = heartbeat): Promise<ScriptResult> => {
        if (QALITA_S3_SECRET.kind !== "secret") throw new Error("the default source credentials come from a Secret");
        const pod = new EmulatedPod(spec, {
            configMaps: { scripts: seaweedfsCopyFiles() },
            secrets: {
                [QALITA_S3_SECRET.secretName]: {
                    [QALITA_S3_SECRET.accessKeyIdKey]: seaweed.accessKeyId,
                    [QALITA_S3_SECRET.secretAccessKeyKey]: seaweed.secretAccessKey,
                },
                [WRITER_SECRET]: { AWS_ACCESS_KEY_ID: cold.accessKeyId, AWS_SECRET_ACCESS_KEY: cold.secretAccessKey },
                [heartbeatSecretName("qalita")]: { [HEARTBEAT_SECRET_KEY]: ping.url },
            },
            // Service seaweedfs-s3 → the SeaweedFS stand-in; the bucket's endpoint, which answers
            // path-style only (rclone's AWS provider always uses virtual-hosted style).
            network: { DR_SOURCE_ENDPOINT: seaweed.endpoint, DR_DEST_ENDPOINT: cold.endpoint, DR_DEST_PROVIDER: "Other", ...network },
        });
        pods.push(pod);
        const r = await pod.runAll();
        return { code: r.code, stdout: r.output, stderr: "" };
    };
    const run = async (): Promise<ScriptResult> => {
        const r = await runPod(copyPodSpec());
        outputs.push(r);
        return r;
    };

    before(async function () {
        requireRoot();
        requireRclone();
        seaweed = await startS3Server(Object.keys(objects));
        cold = await startAwsS3([COLD]);
        heartbeat = await startHeartbeat();
        for (const [bucket, keys] of Object.entries(objects)) {
            for (const [key, body] of Object.entries(keys)) await seaweed.putObject(bucket, key, body);
        }
    });

    // What AWS would have done differently: another key than the CMK, or a delete the writer may not do.

    afterEach(function () {
        assert.deepEqual(cold.violations, []);

        assert.deepEqual(cold.deniedDeletes, []);
    });

    after(async function () {
        pods.forEach((pod) => pod.cleanup());
        await seaweed?.stop();
        await cold?.stop();
        await heartbeat?.stop();
    });

    it("copies every bucket under s3/ with nested keys and bytes intact, then pings the heartbeat", async function () {
        const r = await run();
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(
            heartbeat.pings.map((ping) => `${ping.method} ${ping.kind}`),
            ["GET success"],
        );
        const expected = Object.entries(objects).flatMap(([b, keys]) => Object.keys(keys).map((k) => `s3/${b}/${k}`));
        assert.deepEqual(await cold.keys(COLD), expected.sort());
        for (const [bucket, keys] of Object.entries(objects)) {
            for (const [key, body] of Object.entries(keys)) {
                assert.ok((await cold.object(COLD, `s3/${bucket}/${key}`)).equals(body), `${bucket}/${key} differs`);
            }
        }
    });

    it("copies nothing again when nothing changed, and only what changed after that", async function () {
        const quiet = cold.events.length;
        const again = await run();
        assert.equal(again.code, 0, describeRun(again));
        assert.deepEqual(cold.events.slice(quiet), []);

        // Same size as before: only the checksum tells them apart.
        const changed = Buffer.from("analysis started\nanalysis fail\n");
        await seaweed.putObject("logs", "2026/11/24/job-41.log", changed);
        const before = cold.events.length;
        const r = await run();
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(cold.events.slice(before), [{ kind: "created", bucket: COLD, key: "s3/logs/2026/11/24/job-41.log" }]);
        assert.ok((await cold.object(COLD, "s3/logs/2026/11/24/job-41.log")).equals(changed));
    });

    it("keeps the offsite copy of an object deleted from SeaweedFS", async function () {
        await seaweed.deleteObject("packs", "outlier_detection/1.2.0/pack.zip");
        const r = await run();
        assert.equal(r.code, 0, describeRun(r));
        const kept = await cold.object(COLD, "s3/packs/outlier_detection/1.2.0/pack.zip");
        assert.ok(kept.equals(objects.packs["outlier_detection/1.2.0/pack.zip"]));
        assert.deepEqual(
            cold.events.filter((e) => e.kind === "removed"),
            [],
        );
    });

    it("fails when the source can't be reached, rather than backing up nothing, and pings /fail", async function () {
        const pings = heartbeat.pings.length;
        const r = await runPod(withEnv(copyPodSpec(), "copy", { RCLONE_RETRIES: "1", RCLONE_LOW_LEVEL_RETRIES: "1" }), {
            DR_SOURCE_ENDPOINT: "http://127.0.0.1:1",
        });
        assert.notEqual(r.code, 0, describeRun(r));
        assert.match(r.stdout, /127\.0\.0\.1:1.*connection refused/, describeRun(r));
        assert.deepEqual(
            heartbeat.pings.slice(pings).map((ping) => `${ping.method} ${ping.kind}`),
            ["GET failure"],
        );
    });

    it("never prints either side's secret nor the heartbeat URL, even with debug logging asked for; a silent heartbeat costs its timeout, no more", async function () {
        const silent = await startHeartbeat("hang");
        const started = Date.now();
        const r = await runPod(withEnv(copyPodSpec(), "copy", { RCLONE_VERBOSE: "2", DR_HEARTBEAT_TIMEOUT: "1" }), {}, silent);
        const seconds = (Date.now() - started) / 1000;
        await silent.stop();
        assert.equal(r.code, 0, describeRun(r));
        assert.match(r.stdout, /heartbeat: WARNING: the success ping failed \(no answer within 1s\); the backup's outcome is unchanged/, describeRun(r));
        assert.ok(seconds < 6, `the run took ${seconds}s`);
        for (const o of [...outputs, r]) {
            const log = o.stdout + o.stderr;
            assert.ok(!log.includes(seaweed.secretAccessKey) && !log.includes(cold.secretAccessKey), "secret in the log");
            assert.ok(!log.includes(heartbeat.uuid) && !log.includes(silent.uuid), "the heartbeat URL in the log");
        }
    });
});
