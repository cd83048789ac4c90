// The PostgreSQL restore drill where production stands: the chart's backup pod writes a real
// dump (row counts recorded in its snapshot), the offsite copy ships it to an AWS-like SSE-KMS
// endpoint, and the drill pod — rendered by drillCronJobSpec, run as its securityContext says
// (uid 65532 without a passwd entry, the release's PostgreSQL image, read-only mounts) — fetches
// it, restores it into a throwaway PostgreSQL 15 of its own, checks it, and pushes its measures
// to a real Pushgateway on loopback; then its report container (the curl image's sh: the host's
// dash and curl) writes the result to the status ConfigMap and emits an Event through an HTTPS
// stand-in of the Kubernetes API enforcing the drill's own Role, and pings a heartbeat stand-in.
import { bucketAccess, postgresCopyPodSpec } from "../support/stack-pods";
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Event } from "kubernetes-models/v1/Event";
import { destinationEnv } from "../../components/offsite/destination";
import { postgresDrillFiles } from "../../components/postgresql/drill";
import { drillCronJobSpec } from "../../components/postgresql/drill-spec";
import { drillReportRules } from "../../components/postgresql/drill-status-spec";
import { postgresCopyFiles } from "../../components/postgresql/offsite-spec";
import { releaseValues } from "../../components/qalita-release/values";
import { drillCronJobName, drillStatusConfigMapName, HEARTBEAT_SECRET_KEY, heartbeatSecretName } from "../../contracts/names";
import { dumpClaimName, postgresqlImage } from "../../contracts/qalita-chart";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { bitnamiBackupPod } from "../support/bitnami-backup-pod";
import { resolveWithWorker } from "../support/config";
import { Heartbeat, startHeartbeat } from "../support/heartbeat";
import { KubeApi, startKubeApi } from "../support/kube-api";
import { PgCluster, startPgCluster } from "../support/pg-cluster";
import { EmulatedPod, freshClaimDir, PodRunResult, requireRoot, withEnv } from "../support/pod-run";
import { Pushgateway, samples, startPushgateway } from "../support/pushgateway";
import { createQalitaDataset } from "../support/qalita-dataset";
import { requireRclone } from "../support/rclone";

const BUCKET = "qalita-dr-drill";
const RELEASE = "qalita";
const STATUS = drillStatusConfigMapName(RELEASE);
const CRONJOB = drillCronJobName(RELEASE);

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
    finishedAt: string;
}

/** The drill container's last line, which is always its result (the report container's lines follow it). */
function resultLine(run: PodRunResult): string {
    const lines = run.output.trimEnd().split("\n");
    const at = lines.findIndex((line) => line.startsWith("DRILL_RESULT "));
    assert.ok(at >= 0, run.output);
    assert.ok(
        lines.slice(at + 1).every((line) => / report: /.test(line)),
        `DRILL_RESULT ends the drill's output:\n${run.output}`,
    );
    return lines[at].slice("DRILL_RESULT ".length);
}

function drillResult(run: PodRunResult): DrillResult {
    const result = JSON.parse(resultLine(run));
    assert.ok(Math.abs(Date.parse(result.finishedAt) - Date.now()) < 120_000, `finishedAt ${result.finishedAt}`);
    return result;
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
    let api: KubeApi;
    let heartbeat: Heartbeat;
    let dumpClaim: string;
    let dumpId: string;
    const pods: EmulatedPod[] = [];

    const access = () => bucketAccess(s3, BUCKET);
    const destination = () => access().destination;
    const writerSecret = () => access().secrets;
    const s3Endpoint = () => access().network;
    const pod = (spec: any, options: ConstructorParameters<typeof EmulatedPod>[1]) => pods[pods.push(new EmulatedPod(spec, options)) - 1];

    interface DrillOptions {
        readonly pushgatewayUrl?: string;
        readonly prefix?: string;
        /** Where the report container finds the API server. @default the stand-in */
        readonly apiUrl?: string;
        /** @default the answering stand-in */
        readonly heartbeat?: Heartbeat;
        /** Env of the report container. */
        readonly reportEnv?: Record<string, string>;
    }
    const drillPod = (from: "cold" | "pvc", options: DrillOptions = {}) =>
        pod(
            withEnv(
                drillCronJobSpec({
                    labels: {},
                    release: RELEASE,
                    image: postgresqlImage({}),
                    serviceAccountName: "sa",
                    configMapName: "scripts",
                    schedule: "0 5 * * 6",
                    source: from,
                    scratchSize: "1Gi",
                    cold: from === "cold" ? destinationEnv(destination(), options.prefix ?? "postgresql/") : undefined,
                    pushgatewayUrl: options.pushgatewayUrl,
                }).jobTemplate.spec.template.spec,
                "report",
                options.reportEnv ?? {},
            ),
            {
                claims: { [dumpClaimName(RELEASE)]: dumpClaim },
                configMaps: { scripts: postgresDrillFiles(from) },
                secrets: { ...writerSecret(), [heartbeatSecretName(RELEASE)]: { [HEARTBEAT_SECRET_KEY]: (options.heartbeat ?? heartbeat).url } },
                serviceAccount: api.serviceAccount,
                network: { ...s3Endpoint(), DR_KUBE_API: options.apiUrl ?? api.url },
            },
        );
    /** What the report container did in the stand-ins during `run`, which must say nothing of the credentials. */
    const reported = async (run: () => Promise<PodRunResult>) => {
        const [requests, events, pings] = [api.requests.length, api.events.length, heartbeat.pings.length];
        const result = await run();
        assert.ok(!result.output.includes(heartbeat.uuid), "the heartbeat URL is a credential: never printed");
        assert.ok(!result.output.includes(api.serviceAccount.token), "the token is never printed");
        return { run: result, requests: api.requests.slice(requests), events: api.events.slice(events), pings: heartbeat.pings.slice(pings) };
    };
    /** The status ConfigMap's data and the Event, as a drill that reached the API leaves them. */
    const assertReported = (r: Awaited<ReturnType<typeof reported>>, outcome: "success" | "failure") => {
        assert.deepEqual(
            r.requests.map((q) => [q.method, q.status]),
            [
                ["PATCH", 200],
                ["GET", 200],
                ["POST", 201],
            ],
            r.run.output,
        );
        assert.deepEqual(api.configMap(STATUS).data, { postgresql: resultLine(r.run) }, "the ConfigMap holds the DRILL_RESULT JSON, byte for byte");
        assert.equal(r.events.length, 1);
        const event = r.events[0];
        new Event(event).validate();
        assert.deepEqual(event.involvedObject, { apiVersion: "batch/v1", kind: "CronJob", name: CRONJOB, namespace: RELEASE, uid: api.cronJobUid(CRONJOB) });
        assert.deepEqual(
            [event.reason, event.type, event.count, event.source.component],
            outcome === "success" ? ["DrillSucceeded", "Normal", 1, "qalita-dr-drill"] : ["DrillFailed", "Warning", 1, "qalita-dr-drill"],
        );
        assert.match(event.message, outcome === "success" ? /^restore drill passed: dump \d{8}T\d{6}Z, / : /^restore drill FAILED: /);
        assert.doesNotMatch(event.message, /\n/, "one line");
        assert.equal(event.metadata.namespace, RELEASE);
        assert.ok(event.metadata.name.startsWith(`${CRONJOB}.`));
        assert.equal(event.firstTimestamp, event.lastTimestamp);
        assert.deepEqual(
            r.pings.map((ping) => [ping.method, ping.kind]),
            [["POST", outcome]],
        );
        assert.equal(r.pings[0].body.trim(), event.message.replace(/^restore drill /, ""), "the ping carries the summary");
    };
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
        api = await startKubeApi({ namespace: RELEASE, rules: drillReportRules(RELEASE), configMaps: [STATUS], cronJobs: [CRONJOB] });
        heartbeat = await startHeartbeat();
        dumpClaim = freshClaimDir("qalita-dr-drill-pgdumpall-");
        // The chart's backup pod dumps, the offsite copy ships: what a drill finds on a Saturday.
        const backup = (releaseValues(resolveWithWorker({})) as any).postgresql.backup;
        const dump = await pod(bitnamiBackupPod(RELEASE, backup), {
            claims: { [dumpClaimName(RELEASE)]: dumpClaim },
            secrets: { [`${RELEASE}-postgresql`]: { "postgres-password": source.password } },
            network: { PGHOST: source.host, PGPORT: String(source.port) },
        }).runAll();
        assert.equal(dump.code, 0, dump.output);
        [dumpId] = readdirSync(dumpClaim).filter((name) => /^\d{8}T\d{6}Z$/.test(name));
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
        await api?.stop();
        await heartbeat?.stop();
        await s3?.stop();
        await source?.destroy();
        if (dumpClaim) rmSync(dumpClaim, { recursive: true, force: true });
    });

    it("restores the newest dump from cold storage, checks it, pushes RTO and RPO to the Pushgateway, and reports", async () => {
        const writesBefore = s3.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD").length;
        const drill = drillPod("cold", { pushgatewayUrl: pushgateway.url });
        const report = await reported(() => drill.runAll());
        const run = report.run;
        assert.equal(run.code, 0, run.output);
        const result = drillResult(run);
        const recorded = readdirSync(join(dumpClaim, dumpId, "databases"))
            .filter((f) => f.endsWith(".rowcounts.json"))
            .map((f) => Object.keys(JSON.parse(readFileSync(join(dumpClaim, dumpId, "databases", f), "utf8")).tables).length);
        assert.deepEqual(
            { ...result, dumpAgeSeconds: undefined, downloadSeconds: undefined, restoreSeconds: undefined, finishedAt: undefined },
            {
                outcome: "success",
                source: "cold",
                dumpId,
                dumpAgeSeconds: undefined,
                downloadSeconds: undefined,
                restoreSeconds: undefined,
                finishedAt: undefined,
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
        assertReported(report, "success");
        assert.match(
            report.events[0].message,
            new RegExp(`dump ${dumpId}, \\d+s old, fetched in [0-9.]+s, restored in [0-9.]+s; ${result.tables} tables match`),
        );
    });

    it("drills the dump PVC, mounted read-only, when its source is pvc; an unreachable Pushgateway fails the Job (exit 2), an API that refuses changes nothing", async () => {
        const closed = await startPushgateway();
        await closed.stop(); // a port nothing listens on any more
        const drill = drillPod("pvc", { pushgatewayUrl: closed.url });
        const before = api.configMap(STATUS);
        const rules = api.rules;
        api.rules = []; // a Role missing or changed: every call refused (403)
        try {
            const report = await reported(() => drill.runAll());
            const run = report.run;
            assert.equal(run.code, 2, run.output);
            const result = drillResult(run);
            assert.deepEqual([result.outcome, result.source, result.dumpId, result.downloadSeconds, result.pushed], ["success", "pvc", dumpId, 0, false]);
            assert.match(run.output, /WARNING: metrics not pushed/);
            assertNothingLeft(drill);
            assert.deepEqual(
                report.requests.map((q) => q.status),
                [403, 403, 403],
            );
            assert.match(
                run.output,
                /report: WARNING: could not write the result to ConfigMap qalita\/qalita-dr-drill-status: HTTP 403: configmaps "qalita-dr-drill-status" is forbidden/,
            );
            assert.match(run.output, /report: WARNING: could not emit the Event DrillFailed/, "the Job failed (exit 2): a DrillFailed Event");
            assert.deepEqual(api.configMap(STATUS), before);
            assert.deepEqual(
                report.pings.map((ping) => ping.kind),
                ["failure"],
            );
        } finally {
            api.rules = rules;
        }
    });

    it("a fetch that finds no complete dump fails the drill, reported and pushed, without starting a server; an unreachable API changes nothing", async () => {
        const drill = drillPod("cold", { pushgatewayUrl: pushgateway.url, prefix: "nothing-here/", apiUrl: "https://127.0.0.1:1" });
        const report = await reported(() => drill.runAll());
        const run = report.run;
        assert.equal(run.code, 1, run.output);
        assert.deepEqual(report.requests, []);
        assert.match(run.output, /report: WARNING: could not write the result to ConfigMap .*: HTTP 000 \(curl: \(7\)/);
        assert.deepEqual(
            report.pings.map((ping) => ping.kind),
            ["failure"],
        );
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
            const drill = drillPod("cold", { pushgatewayUrl: pushgateway.url });
            const report = await reported(() => drill.runAll());
            const run = report.run;
            assert.equal(run.code, 1, run.output);
            const result = drillResult(run);
            assert.equal(result.outcome, "failure");
            assert.equal(result.dumpId, corrupt);
            assertReported(report, "failure");
            assert.ok(report.events[0].message.includes(result.reason!.slice(0, 200)), "the Event says which check failed");
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

            // A heartbeat server that accepts and never answers: the ping gives up in time.
            const silent = await startHeartbeat("hang");
            const drill = drillPod("pvc", { heartbeat: silent, reportEnv: { DR_HEARTBEAT_TIMEOUT: "1" } });
            let run: PodRunResult = { code: 0, output: "" };
            for (const name of drill.initContainerNames) {
                const step = await drill.run(name);
                assert.equal(step.code, 0, step.output);
                run = { code: step.code, output: run.output + step.output };
            }
            const started = Date.now();
            const last = await drill.run("report");
            const reportSeconds = (Date.now() - started) / 1000;
            await silent.stop();
            run = { code: last.code, output: run.output + last.output };
            assert.equal(run.code, 1, run.output);
            assert.ok(!run.output.includes(silent.uuid), "the heartbeat URL is never printed");
            assert.match(run.output, /report: WARNING: heartbeat: the failure ping got no answer within 1s/);
            assert.ok(reportSeconds < 5, `the report took ${reportSeconds}s: a silent heartbeat must not hold the Job`);
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
