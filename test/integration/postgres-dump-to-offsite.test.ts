// The PostgreSQL critical path where production stands: each step runs as its pod runs it — the
// chart's backup pod (uid 1001, gid 0, fsGroup 1001 on the dump PVC), the offsite copy and the
// restore Job (uid 65532, supplementary group 1001, the PVC mounted read-only) — with scripts, env
// and volumes taken from the rendered specs, real PostgreSQL 15, real rclone, and an S3 endpoint
// that answers like AWS with SSE-KMS (ETags that are not MD5s, writes that must name the CMK, no
// deletes for the writer). The copy relays the dump's recorded outcome to a heartbeat stand-in.
import { bucketAccess, postgresCopyPodSpec, postgresRestorePodSpec } from "../support/stack-pods";
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { postgresCopyFiles } from "../../components/postgresql/offsite-spec";
import { postgresRestoreFiles } from "../../components/postgresql/restore-job";
import { releaseValues } from "../../components/qalita-release/values";
import { dumpClaimName } from "../../contracts/qalita-chart";
import { HEARTBEAT_SECRET_KEY, heartbeatSecretName } from "../../contracts/names";
import { Heartbeat, startHeartbeat } from "../support/heartbeat";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { bitnamiBackupPod } from "../support/bitnami-backup-pod";
import { resolveWithWorker } from "../support/config";
import { PgCluster, startPgCluster } from "../support/pg-cluster";
import { EmulatedPod, freshClaimDir, requireRoot } from "../support/pod-run";
import { tableFingerprints } from "../support/qalita-dataset";
import { requireRclone } from "../support/rclone";

const BUCKET = "qalita-dr-e2e";
const RELEASE = "qalita";
const FAST = { fsync: "off" };

describe("PostgreSQL dump → offsite copy → restore, each pod as its securityContext says (AWS-like SSE-KMS)", () => {
    let source: PgCluster;
    let s3: AwsS3;
    let heartbeat: Heartbeat;
    let dumpClaim: string;
    let dumpId: string;
    const clusters: PgCluster[] = [];
    const pods: EmulatedPod[] = [];

    const access = () => bucketAccess(s3, BUCKET);
    const destination = () => access().destination;
    const writerSecret = () => access().secrets;
    const pod = (spec: any, options: ConstructorParameters<typeof EmulatedPod>[1]) => pods[pods.push(new EmulatedPod(spec, options)) - 1];
    const target = async (name: string) => clusters[clusters.push(await startPgCluster({ name, settings: FAST })) - 1];
    // What Services give the pods: the release's PostgreSQL, and the bucket's endpoint.
    const postgresService = (cluster: PgCluster) => ({ PGHOST: cluster.host, PGPORT: String(cluster.port) });
    const s3Endpoint = () => access().network;

    const copyPod = () =>
        pod(postgresCopyPodSpec(destination()), {
            claims: { [dumpClaimName(RELEASE)]: dumpClaim },
            configMaps: { scripts: postgresCopyFiles() },
            secrets: { ...writerSecret(), [heartbeatSecretName(RELEASE)]: { [HEARTBEAT_SECRET_KEY]: heartbeat.url } },
            network: s3Endpoint(),
        });
    const restorePod = (into: PgCluster, from: "pvc" | "cold") => {
        const spec = postgresRestorePodSpec(from === "cold" ? destination() : undefined);
        return pod(spec, {
            claims: { [dumpClaimName(RELEASE)]: dumpClaim },
            configMaps: { scripts: postgresRestoreFiles() },
            secrets: { ...writerSecret(), [`${RELEASE}-postgresql`]: { "postgres-password": into.password } },
            network: { ...postgresService(into), ...s3Endpoint() },
        });
    };

    before(async () => {
        requireRoot();
        requireRclone();
        source = await target("e2e-source");
        await source.psql("CREATE DATABASE qalitadb");
        await source.psql(
            "CREATE TABLE jobs (id serial primary key, payload jsonb); INSERT INTO jobs (payload) SELECT jsonb_build_object('n', i) FROM generate_series(1, 2000) i",
            "qalitadb",
        );
        s3 = await startAwsS3([BUCKET]);
        heartbeat = await startHeartbeat();
        dumpClaim = freshClaimDir("qalita-dr-pgdumpall-");
    });
    afterEach(() => {
        assert.deepEqual(s3.violations, [], "a write AWS would have encrypted with another key, or an SSE header on a read");
        assert.deepEqual(s3.deniedDeletes, [], "a delete the writer's policy denies");
    });
    after(async () => {
        pods.forEach((p) => p.cleanup());
        await s3?.stop();
        await heartbeat?.stop();
        for (const cluster of clusters) await cluster.destroy();
        if (dumpClaim) rmSync(dumpClaim, { recursive: true, force: true });
    });

    it("the chart's backup pod writes a complete dump that group 1001 can read throughout", async () => {
        const backup = (releaseValues(resolveWithWorker({})) as any).postgresql.backup;
        const result = await pod(bitnamiBackupPod(RELEASE, backup), {
            claims: { [dumpClaimName(RELEASE)]: dumpClaim },
            secrets: { [`${RELEASE}-postgresql`]: { "postgres-password": source.password } },
            network: postgresService(source),
        }).runAll();
        assert.equal(result.code, 0, result.output);
        [dumpId] = readdirSync(dumpClaim).filter((name) => /^\d{8}T\d{6}Z$/.test(name));
        assert.ok(dumpId, result.output);
        const walk = (dir: string): string[] =>
            readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)]));
        for (const path of [join(dumpClaim, dumpId), ...walk(join(dumpClaim, dumpId))]) {
            const stat = statSync(path);
            assert.equal(stat.uid, 1001, path);
            assert.equal(stat.gid, 1001, `${path}: group of the volume (setgid)`);
            assert.ok(stat.mode & 0o040, `${path}: group-readable`);
            if (stat.isDirectory()) assert.ok(stat.mode & 0o010, `${path}: group may enter`);
            assert.equal(stat.mode & 0o007, 0, `${path}: nobody else (dumps hold password hashes)`);
        }
    });

    it("the copy pod ships it byte-identical to the SSE-KMS bucket, naming the CMK, manifest last; relays the dump's run to the heartbeat", async () => {
        const result = await copyPod().runAll();
        assert.equal(result.code, 0, result.output);
        // The backup pod's record (uid 1001, umask 027) is read by the copy's group 1001.
        assert.match(result.output, new RegExp(`the last dump \\(${dumpId}\\) ended well at `), result.output);
        assert.deepEqual(
            heartbeat.pings.map((ping) => `${ping.method} ${ping.kind}`),
            ["GET success"],
        );
        const manifest = readFileSync(join(dumpClaim, dumpId, "MANIFEST.sha256"), "utf8");
        const files = manifest
            .trim()
            .split("\n")
            .map((line) => line.replace(/^[0-9a-f]{64} [ *]/, ""));
        assert.deepEqual(await s3.keys(BUCKET), [...files, "MANIFEST.sha256"].map((file) => `postgresql/${dumpId}/${file}`).sort());
        for (const file of files) {
            assert.ok((await s3.object(BUCKET, `postgresql/${dumpId}/${file}`)).equals(readFileSync(join(dumpClaim, dumpId, file))), file);
        }
        const writes = s3.requests.filter((r) => r.method === "PUT" && r.key?.startsWith(`postgresql/${dumpId}/`));
        assert.equal(writes[writes.length - 1].key, `postgresql/${dumpId}/MANIFEST.sha256`);
        assert.ok(
            writes.every((w) => w.sse === "aws:kms" && w.kmsKeyId === s3.kmsKeyArn),
            "every write names the stack's key",
        );
    });

    it("the next hourly copy uploads nothing", async () => {
        const before = s3.requests.filter((r) => r.method === "PUT").length;
        const result = await copyPod().runAll();
        assert.equal(result.code, 0, result.output);
        assert.equal(s3.requests.filter((r) => r.method === "PUT").length, before, result.output);
    });

    it("the restore Job restores from the dump PVC, read-only, into another server", async () => {
        const into = await target("e2e-from-pvc");
        const result = await restorePod(into, "pvc").runAll();
        assert.equal(result.code, 0, result.output);
        assert.deepEqual(await tableFingerprints(into, "qalitadb"), await tableFingerprints(source, "qalitadb"));
    });

    it("the restore Job fetches the newest dump from cold storage and restores it", async () => {
        const into = await target("e2e-from-cold");
        const result = await restorePod(into, "cold").runAll();
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, new RegExp(`fetched ${dumpId}`));
        assert.deepEqual(await tableFingerprints(into, "qalitadb"), await tableFingerprints(source, "qalitadb"));
    });

    it("a dump directory only its writer may enter stops the copy pod (what pg_dump -Fd leaves without chmod)", async () => {
        const lockedId = "20200101T000000Z";
        execFileSync("cp", ["-a", join(dumpClaim, dumpId), join(dumpClaim, lockedId)]);
        const [database] = readdirSync(join(dumpClaim, lockedId, "databases"));
        chmodSync(join(dumpClaim, lockedId, "databases", database), 0o2700);
        try {
            const result = await copyPod().runAll();
            assert.notEqual(result.code, 0, result.output);
            assert.match(result.output, /NOT copying 20200101T000000Z/);
            assert.deepEqual(
                (await s3.keys(BUCKET)).filter((key) => key.startsWith(`postgresql/${lockedId}/`)),
                [],
            );
        } finally {
            rmSync(join(dumpClaim, lockedId), { recursive: true, force: true });
        }
    });
});
