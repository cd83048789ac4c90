// components/agents/scripts/{offsite-copy,restore}.sh: the worker's ~/.qalita/ through an
// rclone crypt remote on a real S3 API, and back, with `qalita` stubbed on PATH. Each script runs
// as its pod runs it (EmulatedPod on the rendered specs, ConfigMap files and env from them):
// - the copy CronJob's pod: uid 65532, gid 65532, no supplementary group, the worker store PVC
//   read-only at /data;
// - the restore Job's pod: uid 65532, gid 65532, fsGroup 65532, so the kubelet gives it the store
//   (group 65532, setgid, g+rw) before it writes into /data/qalita.
// The store's files are laid out as the worker leaves them: QALITA's chart runs the worker as root
// with no securityContext (templates/worker-deployment.yaml: no fsGroup, no runAsUser), the image
// keeps the runtime's umask 022, so ~/.qalita holds root:root files 0644 in directories 0755. The
// copy pod shares no group with them: it reads them as "other", which those modes allow.
// Each copy pings a heartbeat stand-in with its outcome.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { CREDENTIAL_EXCLUDE_FILE } from "../../components/agents/credential-filter";
import { agentsCopyArgs, agentsJobFiles, cryptSecretEnv } from "../../components/agents/offsite-spec";
import { readScript } from "../../components/scripts";
import { agentsRestoreJobSpec } from "../../components/agents/restore-job-spec";
import { CRYPT_PASSWORD_KEY, CRYPT_SALT_KEY } from "../../components/agents/secrets";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { ColdDestination, destinationEnv } from "../../components/offsite/destination";
import { credentialFilePatterns, validateCredentialPatterns } from "../../contracts/credential-patterns";
import { EmulatedPod, EmulatedPodOptions, freshClaimDir, ownTree, requireRoot, withEnv } from "../support/pod-run";
import { describeRun, rclone, requireRclone, s3RemoteEnv, ScriptResult } from "../support/rclone";
import { listFiles } from "../support/s3-server";
import { AwsS3, startAwsS3 } from "../support/aws-s3";
import { WORKER_STORE_PVC } from "../../contracts/qalita-chart";
import { HEARTBEAT_SECRET_KEY, heartbeatSecretName } from "../../contracts/names";
import { Heartbeat, startHeartbeat } from "../support/heartbeat";

const BUCKET = "cold";
const CRYPT_SECRET = "qalita-dr-agents-crypt";
const WRITER_SECRET = "qalita-dr-backup-writer";
/** What the worker (root, umask 022) leaves in its store. */
const WORKER_OWNER = { uid: 0, gid: 0 };
const WORKER_MODES = { dir: 0o755, file: 0o644 };
const DB_PASSWORD = `warehouse-${randomBytes(8).toString("hex")}`;
const API_TOKEN = `token-${randomBytes(8).toString("hex")}`;
const CRYPT = { DR_CRYPT_PASSWORD: `vault ${randomBytes(6).toString("hex")}`, DR_CRYPT_SALT: `salt-${randomBytes(6).toString("hex")}` };

// What a worker's ~/.qalita/ holds: kept files, and credential files that must never leave.
const kept: Record<string, Buffer> = {
    "sources-conf.yaml": Buffer.from(
        `version: 1\nsources:\n- name: warehouse\n  type: postgresql\n  config:\n    host: db.internal\n    password: ${DB_PASSWORD}\n`,
    ),
    "jobs/1234/result.json": Buffer.from(JSON.stringify({ score: 0.97 })),
    "jobs/1234/logs/run.log": Buffer.from("pack outlier_detection finished\n"),
    "jobs/5678/metrics.parquet": randomBytes(64 * 1024),
    "sub/notes.txt": Buffer.from("kept\n"),
    // Ordinary dotfiles that merely look alike stay.
    ".env": Buffer.from("LOG_LEVEL=info\n"),
    "jobs/1234/.environment": Buffer.from("python3.11\n"),
};
const credentials: Record<string, Buffer> = {
    ".worker": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".agent": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".env-admin": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    ".current_env": Buffer.from(".env-admin\n"),
    "sub/.env-x": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    // Backup and editor variants hold the same token.
    ".worker.bak": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".worker~": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    "..worker.swp": Buffer.from(`b0VIM 9.0 ${API_TOKEN}`),
    "#.worker#": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".agent.old": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".env-admin~": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    ".#.env-admin": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    ".current_env.orig": Buffer.from(".env-admin\n"),
};

async function writeTree(root: string, files: Record<string, Buffer>): Promise<void> {
    for (const [path, bytes] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), bytes);
    }
}

/**
 * A worker store PVC holding `files` in ~/.qalita, as the worker wrote them; its `qalita` directory
 * exists even when empty (the kubelet creates the worker's subPath when the worker first starts).
 */
async function workerStore(files: Record<string, Buffer>): Promise<string> {
    const store = freshClaimDir("qalita-dr-agents-store-");
    await mkdir(join(store, "qalita"));
    await writeTree(join(store, "qalita"), files);
    ownTree(join(store, "qalita"), WORKER_OWNER, WORKER_MODES);
    return store;
}

async function readTree(root: string): Promise<Record<string, Buffer>> {
    const tree: Record<string, Buffer> = {};
    for (const file of await listFiles(root)) tree[relative(root, file)] = await readFile(file);
    return tree;
}

describe("agents offsite copy and restore (rclone crypt → S3), each as its pod runs it", function () {
    let s3: AwsS3;
    let heartbeat: Heartbeat;
    let work: string;
    let store: string;
    const dirs: string[] = [];
    const pods: EmulatedPod[] = [];
    const outputs: ScriptResult[] = [];

    const destination = (): ColdDestination => ({
        bucket: BUCKET,
        region: "eu-west-3",
        kmsKeyArn: s3.kmsKeyArn,
        credentials: { kind: "secret", secretName: WRITER_SECRET },
    });
    const copyPod = () =>
        copyCronJobSpec({
            ...agentsCopyArgs({
                namespace: "qalita",
                release: "qalita",
                schedule: "0 4 * * 0",
                destination: destination(),
                prefix: "agents/",
                cryptSecretName: CRYPT_SECRET,
                workerPodLabels: { app: "qalita-worker" },
            }),
            serviceAccountName: "sa",
            configMapName: "scripts",
        }).jobTemplate.spec.template.spec;
    const restorePod = () => {
        const { env, secretEnv } = destinationEnv(destination(), "agents/");
        return agentsRestoreJobSpec({
            labels: {},
            serviceAccountName: "sa",
            configMapName: "scripts",
            env,
            secretEnv: [...cryptSecretEnv(CRYPT_SECRET), ...secretEnv],
            bandwidthLimit: "20M",
        }).template.spec;
    };
    /** A fresh worker store PVC (cleaned up after). */
    const claim = async (files: Record<string, Buffer> = {}) => dirs[dirs.push(await workerStore(files)) - 1];
    /**
     * Runs a pod on the worker store `storeDir`, its ConfigMap holding `script`'s files (`files`
     * replacing some), the crypt Secret holding CRYPT (`crypt` replacing some values).
     */
    const runPod = async (
        spec: any,
        script: "offsite-copy.sh" | "restore.sh",
        storeDir: string,
        { files = {}, crypt = {}, setup }: { files?: Record<string, string>; crypt?: Partial<typeof CRYPT>; setup?: (pod: EmulatedPod) => Promise<void> } = {},
    ) => {
        const secret = { ...CRYPT, ...crypt };
        const options: EmulatedPodOptions = {
            claims: { [WORKER_STORE_PVC]: storeDir },
            configMaps: { scripts: { ...agentsJobFiles(script), ...files } },
            secrets: {
                [CRYPT_SECRET]: { [CRYPT_PASSWORD_KEY]: secret.DR_CRYPT_PASSWORD, [CRYPT_SALT_KEY]: secret.DR_CRYPT_SALT },
                [WRITER_SECRET]: { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey },
                [heartbeatSecretName("qalita")]: { [HEARTBEAT_SECRET_KEY]: heartbeat.url },
            },
            // The bucket's endpoint; the stand-in answers path-style only, which rclone's AWS provider never uses.
            network: { DR_DEST_ENDPOINT: s3.endpoint, DR_DEST_PROVIDER: "Other" },
        };
        const pod = new EmulatedPod(spec, options);
        pods.push(pod);
        await setup?.(pod);
        const result = await pod.runAll();
        const r: ScriptResult = { code: result.code, stdout: result.output, stderr: "" };
        outputs.push(r);
        return { ...r, pod };
    };
    const copy = (options: Parameters<typeof runPod>[3] = {}, spec = copyPod()) => runPod(spec, "offsite-copy.sh", store, options);
    // The test's own view through the same crypt layer: decrypted names, no filter.
    const vault = async () => ({
        ...s3RemoteEnv("d", s3),
        RCLONE_CONFIG_V_TYPE: "crypt",
        RCLONE_CONFIG_V_REMOTE: `d:${BUCKET}/agents`,
        RCLONE_CONFIG_V_PASSWORD: (await rclone(["obscure", "-"], {}, `${CRYPT.DR_CRYPT_PASSWORD}\n`)).trim(),
        RCLONE_CONFIG_V_PASSWORD2: (await rclone(["obscure", "-"], {}, `${CRYPT.DR_CRYPT_SALT}\n`)).trim(),
    });
    const vaultFiles = async () => (await rclone(["lsf", "-R", "--files-only", "v:"], await vault())).split("\n").filter(Boolean).sort();

    before(async function () {
        requireRoot();
        requireRclone();
        s3 = await startAwsS3([BUCKET]);
        heartbeat = await startHeartbeat();
        work = await mkdtemp(join(tmpdir(), "qalita-dr-agents-")); // the test's own files (rclone as root)
        store = await claim({ ...kept, ...credentials });
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
        for (const dir of [work, ...dirs]) if (dir) await rm(dir, { recursive: true, force: true });
    });

    const pingsDuring = async <T>(run: () => Promise<T>) => {
        const before = heartbeat.pings.length;
        const result = await run();
        return { result, pings: heartbeat.pings.slice(before).map((ping) => `${ping.method} ${ping.kind}`) };
    };

    it("copies every kept file and no credential file, then pings the heartbeat", async function () {
        const { result: r, pings } = await pingsDuring(() => copy());
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(await vaultFiles(), Object.keys(kept).sort());
        assert.deepEqual(pings, ["GET success"]);
        assert.ok(!r.stdout.includes(heartbeat.uuid), "the heartbeat URL is never printed");
    });

    it("stores no plaintext: neither the data-source password nor file names", async function () {
        for (const file of await listFiles(s3.dir)) {
            const bytes = await readFile(file);
            assert.ok(!bytes.includes(DB_PASSWORD), `${relative(s3.dir, file)} holds the data-source password`);
            assert.ok(!bytes.includes(API_TOKEN), `${relative(s3.dir, file)} holds the API token`);
        }
        const keys = await s3.keys(BUCKET);
        assert.equal(keys.length, Object.keys(kept).length);
        assert.ok(
            keys.every((k) => k.startsWith("agents/") && !/sources-conf|jobs|result\.json/.test(k)),
            keys.join(", "),
        );
    });

    it("uploads nothing on a second run", async function () {
        const quiet = s3.events.length;
        const r = await copy();
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(s3.events.slice(quiet), []);
    });

    it("refuses to copy with another crypt key or without a credential list", async function () {
        const quiet = s3.events.length;
        const { result: otherKey, pings } = await pingsDuring(() => copy({ crypt: { DR_CRYPT_PASSWORD: "another password" } }));
        assert.notEqual(otherKey.code, 0, describeRun(otherKey));
        assert.deepEqual(pings, ["GET failure"], "a refused copy pings /fail");
        // The ConfigMap's list, emptied.
        const noList = await copy({ files: { [CREDENTIAL_EXCLUDE_FILE]: "# nothing\n\n" } });
        assert.notEqual(noList.code, 0, describeRun(noList));
        assert.match(noList.stdout, /lists no pattern: refusing/, describeRun(noList));
        assert.deepEqual(s3.events.slice(quiet), []);
    });

    it("restores every kept file byte-identical and no credential file, then logs in and pushes sources", async function () {
        // Credential files that reached the bucket somehow must still not come back.
        const planted = join(work, "planted");
        await writeTree(planted, credentials);
        await rclone(["copy", planted, "v:"], await vault());
        assert.deepEqual(await vaultFiles(), Object.keys({ ...kept, ...credentials }).sort());

        // The restore Job's pod on an empty store, asked to log in too: restore.sh then needs a
        // target ending in /.qalita (HOME = its parent, here the store's root). The stub and its
        // log live in the pod's /tmp (pod paths: the host's own /tmp is hidden by that mount).
        const home = await claim();
        const spec = restorePod();
        const pathEntry = (spec.containers[0].env as { name: string; value?: string }[]).find((e) => e.name === "PATH")!.value;
        const r = await runPod(
            withEnv(spec, "restore", {
                DR_TARGET_DIR: "/data/.qalita",
                DR_RUN_LOGIN: "1",
                PATH: `/tmp/bin:${pathEntry}`,
                FAKE_QALITA_CALLS: "/tmp/qalita-calls.log",
            }),
            "restore.sh",
            home,
            {
                setup: async (pod) => {
                    const bin = join(pod.volume("tmp"), "bin");
                    await mkdir(bin);
                    await writeFile(
                        join(bin, "qalita"),
                        '#!/usr/bin/env bash\nsources=absent; [[ -f "$HOME/.qalita/sources-conf.yaml" ]] && sources=present\n' +
                            'printf \'%s|%s|%s\\n\' "$*" "$HOME" "$sources" >>"$FAKE_QALITA_CALLS"\n',
                    );
                    await chmod(join(bin, "qalita"), 0o755);
                },
            },
        );
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(await readTree(join(home, ".qalita")), kept);
        assert.deepEqual((await readFile(join(r.pod.volume("tmp"), "qalita-calls.log"), "utf8")).trim().split("\n"), [
            `worker login|${home}|present`,
            `source push|${home}|present`,
        ]);
    });

    it("never overwrites a file already on the volume", async function () {
        // Written by the worker (root, 0644) before the restore Job's kubelet gave the store to its fsGroup.
        const newer = Buffer.from("version: 1\nsources: []\n");
        const busy = await claim({ "sources-conf.yaml": newer });
        const r = await runPod(restorePod(), "restore.sh", busy);
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(await readTree(join(busy, "qalita")), { ...kept, "sources-conf.yaml": newer });
    });

    it("fails a restore with the wrong key instead of starting the worker empty", async function () {
        const empty = await claim();
        const r = await runPod(restorePod(), "restore.sh", empty, { crypt: { DR_CRYPT_SALT: "not the salt" } });
        assert.notEqual(r.code, 0, describeRun(r));
        assert.match(r.stdout, /can't be decrypted/, describeRun(r));
    });

    it("names the sourced file and line that failed, not the caller's", async function () {
        const r = await copy({}, withEnv(copyPod(), "copy", { DR_EXCLUDE_FROM: "/scripts/no-such.exclude" }));
        assert.notEqual(r.code, 0, describeRun(r));
        // The list is read by vault.sh's loop (bash reports a failed loop at a line near its start).
        const vault = readScript("agents", "vault.sh").split("\n");
        const loop = vault.findIndex((l) => l.startsWith("while IFS= read -r line ||")) + 1;
        const at = /offsite-copy\[agents\]: failed at vault\.sh:(\d+)/.exec(r.stdout);
        assert.ok(at && Math.abs(Number(at[1]) - loop) <= 1, describeRun(r));
    });

    it("never prints a secret, even with debug logging asked for", async function () {
        const debug = await copy({}, withEnv(copyPod(), "copy", { RCLONE_LOG_LEVEL: "DEBUG" }));
        assert.equal(debug.code, 0, describeRun(debug));
        const secrets = [s3.secretAccessKey, CRYPT.DR_CRYPT_PASSWORD, CRYPT.DR_CRYPT_SALT];
        for (const o of outputs) {
            for (const secret of secrets) assert.ok(!(o.stdout + o.stderr).includes(secret), "a secret is in the log");
        }
    });
});

describe("credential file list", function () {
    it("covers the worker's credential files, current and pre-2.11 names", function () {
        const patterns = credentialFilePatterns();
        for (const required of [".worker*", ".agent*", ".env-*", ".current_env*", "..worker*", "[#].worker*", ".#.worker*"])
            assert.ok(patterns.includes(required), required);
    });

    it("rejects patterns rclone would anchor, drop as a comment, or that list nothing", function () {
        for (const bad of [["/.worker"], ["sub/.env-*"], ["#.worker"], [" .worker"], []]) {
            assert.throws(() => validateCredentialPatterns(bad), /credential-files\.json/, JSON.stringify(bad));
        }
    });
});
