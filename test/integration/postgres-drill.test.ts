// The PostgreSQL restore drill where production stands: the chart's backup pod writes a real
// dump (row counts recorded in its snapshot), the offsite copy ships it to an AWS-like SSE-KMS
// endpoint, and the drill pod — rendered by drillCronJobSpec, run as its securityContext says
// (uid 65532 without a passwd entry, the release's PostgreSQL image, read-only mounts) — fetches
// it, restores it into a throwaway PostgreSQL 15 of its own, checks it, and pushes its measures
// to a real Pushgateway on loopback.
import { bucketAccess, postgresCopyPodSpec } from "../support/stack-pods";
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { destinationEnv } from "../../components/offsite/destination";
import { postgresDrillFiles } from "../../components/postgresql/drill";
import { drillCronJobSpec } from "../../components/postgresql/drill-spec";
import { postgresCopyFiles } from "../../components/postgresql/offsite-spec";
import { releaseValues } from "../../components/qalita-release/values";
import { dumpClaimName, postgresqlImage } from "../../contracts/qalita-chart";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { bitnamiBackupPod } from "../support/bitnami-backup-pod";
import { resolveWithWorker } from "../support/config";
import { PgCluster, startPgCluster } from "../support/pg-cluster";
import { EmulatedPod, freshClaimDir, PodRunResult, requireRoot } from "../support/pod-run";
import { Pushgateway, samples, startPushgateway } from "../support/pushgateway";
import { createQalitaDataset } from "../support/qalita-dataset";
import { requireRclone } from "../support/rclone";

const BUCKET = "qalita-dr-drill";
const RELEASE = "qalita";

interface DrillResult {
    outcome: "success" | "failure";
    source: string;
    dumpId: string | null;
    dumpAgeSeconds: number | null;
    downloadSeconds: number | null;
    restoreSeconds: number | null;
    bytes: number | null;
    tables: number | null;
    mismatches: number | null;
    amcheckErrors: number | null;
    pushed: boolean | null;
    reason: string | null;
}

/** The last line of the drill's output, which is always its result. */
function drillResult(run: PodRunResult): DrillResult {
    const last = run.output.trimEnd().split("\n").pop()!;
    assert.match(last, /^DRILL_RESULT \{/, run.output);
    return JSON.parse(last.slice("DRILL_RESULT ".length));
}

/** A dump id `seconds` after another: a newer dump, still in the past. */
function idAfter(id: string, seconds: number): string {
    const at = Date.parse(`${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}Z`);
    return new Date(at + seconds * 1000).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

describe("PostgreSQL restore drill, as its CronJob's pod runs it (throwaway PostgreSQL 15, AWS-like S3, real Pushgateway)", () => {
    let source: PgCluster;
    let s3: AwsS3;
    let pushgateway: Pushgateway;
    let dumpClaim: string;
    let dumpId: string;
    const pods: EmulatedPod[] = [];

    const access = () => bucketAccess(s3, BUCKET);
    const destination = () => access().destination;
    const writerSecret = () => access().secrets;
    const s3Endpoint = () => access().network;
    const pod = (spec: any, options: ConstructorParameters<typeof EmulatedPod>[1]) => pods[pods.push(new EmulatedPod(spec, options)) - 1];

    const drillPod = (from: "cold" | "pvc", pushgatewayUrl?: string, prefix = "postgresql/") =>
        pod(
            drillCronJobSpec({
                labels: {},
                release: RELEASE,
                image: postgresqlImage({}),
                serviceAccountName: "sa",
                configMapName: "scripts",
                schedule: "0 5 * * 6",
                source: from,
                scratchSize: "1Gi",
                cold: from === "cold" ? destinationEnv(destination(), prefix) : undefined,
                pushgatewayUrl,
            }).jobTemplate.spec.template.spec,
            {
                claims: { [dumpClaimName(RELEASE)]: dumpClaim },
                configMaps: { scripts: postgresDrillFiles(from) },
                secrets: writerSecret(),
                network: s3Endpoint(),
            },
        );
    /** What a drill must leave whatever its outcome: an empty server volume, no server running. */
    const assertNothingLeft = (drill: EmulatedPod) => {
        assert.deepEqual(readdirSync(drill.volume("server")), [], "the throwaway server's directory is empty");
        const processes = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
        assert.ok(!processes.includes(drill.volume("server")), "no process of the throwaway server runs");
    };

    before(async () => {
        requireRoot();
        requireRclone();
        source = await startPgCluster({ name: "drill-source", settings: { fsync: "off" } });
        await createQalitaDataset(source, { scale: 0.5 });
        s3 = await startAwsS3([BUCKET]);
        pushgateway = await startPushgateway();
        dumpClaim = freshClaimDir("qalita-dr-drill-pgdumpall-");
        // The chart's backup pod dumps, the offsite copy ships: what a drill finds on a Saturday.
        const backup = (releaseValues(resolveWithWorker({})) as any).postgresql.backup;
        const dump = await pod(bitnamiBackupPod(RELEASE, backup), {
            claims: { [dumpClaimName(RELEASE)]: dumpClaim },
            secrets: { [`${RELEASE}-postgresql`]: { "postgres-password": source.password } },
            network: { PGHOST: source.host, PGPORT: String(source.port) },
        }).runAll();
        assert.equal(dump.code, 0, dump.output);
        [dumpId] = readdirSync(dumpClaim);
        const copy = await pod(postgresCopyPodSpec(destination()), {
            claims: { [dumpClaimName(RELEASE)]: dumpClaim },
            configMaps: { scripts: postgresCopyFiles() },
            secrets: writerSecret(),
            network: s3Endpoint(),
        }).runAll();
        assert.equal(copy.code, 0, copy.output);
    });
    afterEach(() => {
        assert.deepEqual(s3.violations, [], "a write AWS would have encrypted with another key, or an SSE header on a read");
        assert.deepEqual(s3.deniedDeletes, [], "a delete the writer's policy denies");
    });
    after(async () => {
        pods.forEach((p) => p.cleanup());
        await pushgateway?.stop();
        await s3?.stop();
        await source?.destroy();
        if (dumpClaim) rmSync(dumpClaim, { recursive: true, force: true });
    });

    it("restores the newest dump from cold storage, checks it, and pushes RTO and RPO to the Pushgateway", async () => {
        const writesBefore = s3.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD").length;
        const drill = drillPod("cold", pushgateway.url);
        const run = await drill.runAll();
        assert.equal(run.code, 0, run.output);
        const result = drillResult(run);
        const recorded = readdirSync(join(dumpClaim, dumpId, "databases"))
            .filter((f) => f.endsWith(".rowcounts.json"))
            .map((f) => Object.keys(JSON.parse(readFileSync(join(dumpClaim, dumpId, "databases", f), "utf8")).tables).length);
        assert.deepEqual(
            { ...result, dumpAgeSeconds: undefined, downloadSeconds: undefined, restoreSeconds: undefined },
            {
                outcome: "success",
                source: "cold",
                dumpId,
                dumpAgeSeconds: undefined,
                downloadSeconds: undefined,
                restoreSeconds: undefined,
                bytes: Number(execFileSync("du", ["-sb", join(dumpClaim, dumpId)], { encoding: "utf8" }).split("\t")[0]),
                tables: recorded.reduce((a, b) => a + b, 0),
                mismatches: 0,
                amcheckErrors: 0,
                pushed: true,
                reason: null,
            },
        );
        assert.ok(result.tables! >= 8, "the QALITA tables were compared");
        // Plausible measures: the dump was taken seconds ago; fetch and restore of a few MB take seconds.
        assert.ok(result.dumpAgeSeconds! >= 0 && result.dumpAgeSeconds! < 600, `dump age ${result.dumpAgeSeconds}`);
        assert.ok(result.downloadSeconds! > 0 && result.downloadSeconds! < 60, `download ${result.downloadSeconds}`);
        assert.ok(result.restoreSeconds! > 0 && result.restoreSeconds! < 120, `restore ${result.restoreSeconds}`);
        assert.match(run.output, /row counts match/);
        assert.match(run.output, /pg_amcheck: no corruption/);
        assert.equal(s3.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD").length, writesBefore, "the drill only reads the bucket");

        const page = await pushgateway.metrics();
        const one = (metric: string) => {
            const found = samples(page, metric);
            assert.equal(found.length, 1, `${metric} in\n${page}`);
            assert.equal(found[0].labels.job, "qalita_dr_drill");
            assert.equal(found[0].labels.element, "postgresql");
            return found[0].value;
        };
        assert.equal(one("qalita_dr_drill_success"), 1);
        assert.ok(Math.abs(one("qalita_dr_drill_last_run_timestamp_seconds") - Date.now() / 1000) < 120);
        assert.equal(one("qalita_dr_drill_restore_seconds"), result.restoreSeconds);
        assert.equal(one("qalita_dr_drill_download_seconds"), result.downloadSeconds);
        assert.equal(one("qalita_dr_drill_dump_age_seconds"), result.dumpAgeSeconds);
        assert.equal(one("qalita_dr_drill_mismatches"), 0);
        assert.equal(one("qalita_dr_drill_bytes"), result.bytes);
        assertNothingLeft(drill);
    });

    it("drills the dump PVC, mounted read-only, when its source is pvc; an unreachable Pushgateway fails the Job (exit 2)", async () => {
        const closed = await startPushgateway();
        await closed.stop(); // a port nothing listens on any more
        const drill = drillPod("pvc", closed.url);
        const run = await drill.runAll();
        assert.equal(run.code, 2, run.output);
        const result = drillResult(run);
        assert.deepEqual([result.outcome, result.source, result.dumpId, result.downloadSeconds, result.pushed], ["success", "pvc", dumpId, 0, false]);
        assert.match(run.output, /WARNING: metrics not pushed/);
        assertNothingLeft(drill);
    });

    it("a fetch that finds no complete dump fails the drill, reported and pushed, without starting a server", async () => {
        const drill = drillPod("cold", pushgateway.url, "nothing-here/");
        const run = await drill.runAll();
        assert.equal(run.code, 1, run.output);
        const result = drillResult(run);
        assert.equal(result.outcome, "failure");
        assert.match(result.reason!, /fetching the newest dump from cold storage failed \(exit 1\): fetch-dump: no complete dump under/);
        assert.equal(result.dumpId, null);
        assert.doesNotMatch(run.output, /throwaway PostgreSQL .* up/);
        assert.equal(samples(await pushgateway.metrics(), "qalita_dr_drill_success")[0].value, 0);
        assertNothingLeft(drill);
    });

    it("a dump with a corrupted file in cold storage fails before anything is restored, saying which file", async () => {
        // Bit rot after the upload: a newer copy of the dump whose largest data file lost a bit.
        const corrupt = idAfter(dumpId, 1);
        const keys = (await s3.keys(BUCKET)).filter((key) => key.startsWith(`postgresql/${dumpId}/`));
        const victim = keys.filter((key) => key.endsWith(".dat.gz")).sort()[0];
        for (const key of keys) {
            const body = await s3.object(BUCKET, key);
            if (key === victim) body[Math.floor(body.length / 2)] ^= 0x01;
            await s3.putObject(BUCKET, key.replace(dumpId, corrupt), body);
        }
        try {
            const drill = drillPod("cold", pushgateway.url);
            const run = await drill.runAll();
            assert.equal(run.code, 1, run.output);
            const result = drillResult(run);
            assert.equal(result.outcome, "failure");
            assert.equal(result.dumpId, corrupt);
            assert.match(result.reason!, /checksum verification of .* failed/);
            assert.ok(result.reason!.includes(`${victim.split("/").slice(2).join("/")}: FAILED`), result.reason!);
            assert.equal(result.restoreSeconds, null);
            assert.doesNotMatch(run.output, /restoring globals|restoring database/, "nothing was restored");
            const page = await pushgateway.metrics();
            assert.equal(samples(page, "qalita_dr_drill_success")[0].value, 0);
            assert.deepEqual(samples(page, "qalita_dr_drill_restore_seconds"), [], "no duration of an earlier run is left behind");
            assertNothingLeft(drill);
        } finally {
            for (const key of await s3.keys(BUCKET)) if (key.startsWith(`postgresql/${corrupt}/`)) await s3.deleteObject(BUCKET, key);
        }
    });

    it("a dump whose recorded row counts differ from what it restores fails, naming the table", async () => {
        // A newer dump on the PVC whose record says one row more for one table, manifest regenerated:
        // everything verifies, only the counts disagree.
        const altered = idAfter(dumpId, 2);
        const dir = join(dumpClaim, altered);
        execFileSync("cp", ["-a", join(dumpClaim, dumpId), dir]); // owner and modes kept, as the writer left them
        try {
            const file = "databases/qalitadb.rowcounts.json";
            const record = JSON.parse(readFileSync(join(dir, file), "utf8"));
            record.tables["platform.users"] += 1;
            writeFileSync(join(dir, file), `${JSON.stringify(record)}\n`); // in place: owner and mode stay
            const sha = createHash("sha256")
                .update(readFileSync(join(dir, file)))
                .digest("hex");
            const manifest = readFileSync(join(dir, "MANIFEST.sha256"), "utf8").replace(/^[0-9a-f]{64}(  databases\/qalitadb\.rowcounts\.json)$/m, `${sha}$1`);
            writeFileSync(join(dir, "MANIFEST.sha256"), manifest);

            const drill = drillPod("pvc");
            const run = await drill.runAll();
            assert.equal(run.code, 1, run.output);
            const result = drillResult(run);
            assert.deepEqual([result.outcome, result.dumpId, result.mismatches], ["failure", altered, 1]);
            const users = record.tables["platform.users"];
            assert.ok(result.reason!.includes(`qalitadb: platform.users: ${users} rows recorded, ${users - 1} restored`), result.reason!);
            assertNothingLeft(drill);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
