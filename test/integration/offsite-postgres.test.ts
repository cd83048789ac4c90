// components/postgresql/scripts/offsite-copy.sh against real rclone and a real S3 API, run as the
// copy CronJob's pod runs it (EmulatedPod on the rendered spec: uid 65532, gid 65532, groups
// [1001], the dump PVC read-only, script and env from its ConfigMap and containers) on dumps laid
// out as the chart's backup pod leaves them: volume root-owned with the chart's fsGroup 1001
// (setgid, g+rwx), each dump owned by the backup pod's uid 1001, group 1001, dirs 2750, files 0640
// (what dump.sh leaves; test/integration/postgres-dump-restore.test.ts checks it on a real dump).
// Each run pings a heartbeat stand-in: the copy's own outcome, and the dump's last run as
// dump.sh records it beside the dumps (`.qalita-dr-last-run`), which the copy relays.
import { bucketAccess, postgresCopyPodSpec } from "../support/stack-pods";
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import { appendFile, chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { postgresCopyFiles } from "../../components/postgresql/offsite-spec";
import { releaseValues } from "../../components/qalita-release/values";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { bitnamiBackupPod } from "../support/bitnami-backup-pod";
import { resolveWithWorker } from "../support/config";
import { applyFsGroup, EmulatedPod, freshClaimDir, ownTree, podIdentity, requireRoot, withEnv } from "../support/pod-run";
import { describeRun, requireRclone, ScriptResult } from "../support/rclone";
import { dumpClaimName } from "../../contracts/qalita-chart";
import { HEARTBEAT_SECRET_KEY, heartbeatSecretName } from "../../contracts/names";
import { Heartbeat, startHeartbeat } from "../support/heartbeat";

const BUCKET = "cold";
const RELEASE = "qalita";
/** What dump.sh leaves (umask 027 in the PVC's setgid directories, then `chmod -R g+rX`). */
const DUMP_MODES = { dir: 0o2750, file: 0o640 };

type DumpFiles = Record<string, Buffer>;

function dumpFiles(): DumpFiles {
    return {
        "pg_dumpall.sql.gz": randomBytes(300 * 1024),
        "dump-info.json": Buffer.from(JSON.stringify({ server: "15.4", at: new Date().toISOString() })),
        "databases/qalita/toc.dat": randomBytes(2048),
    };
}

describe("postgresql offsite copy (rclone → S3), as the copy pod runs it", function () {
    let s3: AwsS3;
    let heartbeat: Heartbeat;
    let dumpDir: string;
    // The chart's backup pod: who writes the dumps, and the group its kubelet gives the volume.
    let writer: { uid: number; gid: number };
    const good: Record<string, DumpFiles> = {};
    const outputs: ScriptResult[] = [];
    const pods: EmulatedPod[] = [];

    /** Writes a dump the way the dump job does (the manifest is sha256sum's output format), then leaves it as the backup pod would. */
    async function writeDump(id: string, files: DumpFiles, withManifest = true): Promise<void> {
        for (const [path, bytes] of Object.entries(files)) {
            await mkdir(dirname(join(dumpDir, id, path)), { recursive: true });
            await writeFile(join(dumpDir, id, path), bytes);
        }
        if (withManifest) {
            const lines = Object.entries(files).map(([path, bytes]) => `${createHash("sha256").update(bytes).digest("hex")}  ${path}\n`);
            await writeFile(join(dumpDir, id, "MANIFEST.sha256"), lines.join(""));
        }
        asWriter(id);
    }
    const asWriter = (id: string) => ownTree(join(dumpDir, id), writer, DUMP_MODES);
    /** The dump's last run as dump.sh records it (its umask 027, the PVC's group); null: no record. */
    const recordDumpRun = async (exitCode: number | null, secondsAgo = 60) => {
        const record = join(dumpDir, ".qalita-dr-last-run");
        if (exitCode === null) return rm(record, { force: true });
        await writeFile(record, `${exitCode} ${Math.floor(Date.now() / 1000) - secondsAgo} 20261123T020000Z\n`);
        await chown(record, writer.uid, writer.gid);
        await chmod(record, 0o640);
    };
    /** What the heartbeat received during `run`. */
    const pinged = async (run: () => Promise<ScriptResult>) => {
        const before = heartbeat.pings.length;
        const r = await run();
        return { r, pings: heartbeat.pings.slice(before).map((ping) => `${ping.method} ${ping.kind}`) };
    };

    const copyPodSpec = () => postgresCopyPodSpec(bucketAccess(s3, BUCKET).destination);
    const runPod = async (spec: any): Promise<ScriptResult> => {
        const pod = new EmulatedPod(spec, {
            claims: { [dumpClaimName(RELEASE)]: dumpDir },
            configMaps: { scripts: postgresCopyFiles() },
            secrets: { ...bucketAccess(s3, BUCKET).secrets, [heartbeatSecretName(RELEASE)]: { [HEARTBEAT_SECRET_KEY]: heartbeat.url } },
            network: bucketAccess(s3, BUCKET).network,
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
    const keysOf = async (id: string) => (await s3.keys(BUCKET)).filter((k) => k.startsWith(`postgresql/${id}/`));

    before(async function () {
        requireRoot();
        requireRclone();
        const backupPod = bitnamiBackupPod(RELEASE, (releaseValues(resolveWithWorker({})) as any).postgresql.backup);
        const fsGroup = (backupPod.securityContext as { fsGroup?: number }).fsGroup!;
        assert.equal(typeof fsGroup, "number", "the chart's backup pod has an fsGroup");
        writer = { uid: podIdentity(backupPod, backupPod.containers[0].name).uid, gid: fsGroup };
        s3 = await startAwsS3([BUCKET]);
        heartbeat = await startHeartbeat();
        dumpDir = freshClaimDir("qalita-dr-pgdump-");
        applyFsGroup(dumpDir, fsGroup);
        for (const id of ["20261122T020000Z", "20261123T020000Z"]) {
            good[id] = dumpFiles();
            await writeDump(id, good[id]);
        }
        // In progress: even a manifest inside must not make it eligible.
        await writeDump(".partial-20261124T020000Z", dumpFiles());
        await writeDump("20261121T020000Z", dumpFiles(), false);
    });

    // What AWS would have done differently: another key than the CMK, or a delete the writer may not do.
    afterEach(function () {
        assert.deepEqual(s3.violations, []);
        assert.deepEqual(s3.deniedDeletes, []);
    });

    after(async function () {
        pods.forEach((pod) => pod.cleanup());
        await s3?.stop();
        await heartbeat?.stop();
        if (dumpDir) await rm(dumpDir, { recursive: true, force: true });
    });

    it("ships every complete dump byte-identical, and nothing else; pings the heartbeat, the last dump having ended well", async function () {
        await recordDumpRun(0);
        const { r, pings } = await pinged(run);
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(pings, ["GET success"]);
        assert.match(r.stdout, /the last dump \(20261123T020000Z\) ended well at /, describeRun(r));
        const expected = Object.entries(good).flatMap(([id, files]) => [...Object.keys(files), "MANIFEST.sha256"].map((p) => `postgresql/${id}/${p}`));
        assert.deepEqual(await s3.keys(BUCKET), expected.sort());
        for (const [id, files] of Object.entries(good)) {
            for (const [path, bytes] of Object.entries(files)) {
                assert.ok((await s3.object(BUCKET, `postgresql/${id}/${path}`)).equals(bytes), `${id}/${path} differs`);
            }
        }
    });

    it("uploads each dump's manifest after all of its files", function () {
        for (const id of Object.keys(good)) {
            const writes = s3.events.filter((e) => e.key.startsWith(`postgresql/${id}/`));
            assert.equal(writes.length, Object.keys(good[id]).length + 1);
            assert.equal(writes[writes.length - 1].key, `postgresql/${id}/MANIFEST.sha256`);
        }
    });

    it("uploads nothing on a second run; relays a failed dump to the heartbeat, its own outcome unchanged", async function () {
        const before = s3.events.length;
        await recordDumpRun(1);
        const { r, pings } = await pinged(run);
        await recordDumpRun(null);
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(s3.events.slice(before), []);
        assert.deepEqual(pings, ["GET failure"]);
        assert.match(r.stdout, /heartbeat: reporting a failure: the last dump failed \(exit 1 at \d{4}-\d\d-\d\dT/, describeRun(r));
    });

    it("fails the run and ships no part of a dump that doesn't match its manifest", async function () {
        const corrupt = "20261125T020000Z";
        await writeDump(corrupt, dumpFiles());
        await appendFile(join(dumpDir, corrupt, "pg_dumpall.sql.gz"), "torn write"); // in place: owner and mode stay
        const unlisted = "20261126T020000Z";
        await writeDump(unlisted, dumpFiles());
        await writeFile(join(dumpDir, unlisted, "extra.sql"), "not covered by the manifest");
        asWriter(unlisted);
        // A good dump in the same run still gets out.
        const fresh = "20261127T020000Z";
        good[fresh] = dumpFiles();
        await writeDump(fresh, good[fresh]);

        const { r, pings } = await pinged(run);
        assert.notEqual(r.code, 0, describeRun(r));
        assert.deepEqual(pings, ["GET failure"]);
        // Refused for what they hold, not for a file the copy's user could not read.
        assert.match(r.stdout, new RegExp(`NOT copying ${corrupt}`), describeRun(r));
        assert.match(r.stdout, new RegExp(`${unlisted}: extra.sql is not in the manifest`), describeRun(r));
        assert.doesNotMatch(r.stdout, /Permission denied/, describeRun(r));
        assert.deepEqual(await keysOf(corrupt), []);
        assert.deepEqual(await keysOf(unlisted), []);
        assert.ok((await keysOf(fresh)).includes(`postgresql/${fresh}/MANIFEST.sha256`), describeRun(r));
        assert.ok((await s3.object(BUCKET, `postgresql/${fresh}/pg_dumpall.sql.gz`)).equals(good[fresh]["pg_dumpall.sql.gz"]));
    });

    it("never deletes a remote object", function () {
        assert.deepEqual(
            s3.events.filter((e) => e.kind === "removed"),
            [],
        );
    });

    it("never prints the storage secret nor the heartbeat URL, even with debug logging asked for; relays a stale dump", async function () {
        // rclone's debug log prints backend options, secrets included. No dump has ended for 2 h,
        // longer than the dump's budget: the copy says so to the heartbeat.
        await recordDumpRun(0, 7200);
        const { r, pings } = await pinged(() => runPod(withEnv(copyPodSpec(), "copy", { RCLONE_LOG_LEVEL: "DEBUG", DR_DUMP_MAX_AGE_SECONDS: "3600" })));
        await recordDumpRun(null);
        assert.match(r.stdout, /offsite-copy\[postgresql\]: done:/, describeRun(r));
        assert.deepEqual(pings, ["GET failure"]);
        assert.match(r.stdout, /reporting a failure: no dump has ended since .* \(more than 3600s ago\)/, describeRun(r));
        for (const o of [...outputs, r]) {
            assert.ok(!(o.stdout + o.stderr).includes(s3.secretAccessKey), "secret access key in the log");
            assert.ok(!(o.stdout + o.stderr).includes(heartbeat.uuid), "the heartbeat URL in the log");
        }
    });
});
