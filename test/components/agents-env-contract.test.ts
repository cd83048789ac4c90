// The agents copy CronJob and restore Job hand their scripts the right environment: each rendered
// pod runs through EmulatedPod (test/support/pod-run.ts) as its securityContext says — copy: uid
// 65532, gid 65532, no supplementary group, the worker store read-only; restore: uid 65532, gid
// 65532, fsGroup 65532 on the store — with its own env (mount paths mapped to host directories,
// Secret values filled in), the very files of its ConfigMap against real rclone and an S3 API, and
// the restore brings back what the copy shipped. The store's files are as the worker leaves them:
// QALITA's chart runs it as root without a securityContext, umask 022 → root:root, files 0644,
// directories 0755 (test/integration/offsite-agents.test.ts says more).
import { strict as assert } from "node:assert";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { agentsCopyArgs, agentsCopyFiles } from "../../components/agents/offsite-spec";
import { agentsRestoreFiles } from "../../components/agents/restore-job";
import { readScript } from "../../components/scripts";
import { agentsRestoreJobSpec } from "../../components/agents/restore-job-spec";
import { cryptSecretEnv } from "../../components/agents/offsite-spec";
import { destinationEnv } from "../../components/offsite/destination";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { WORKER_STORE_PVC } from "../../contracts/qalita-chart";
import { EmulatedPod, freshClaimDir, ownTree, requireRoot } from "../support/pod-run";
import { describeRun, requireRclone, ScriptResult } from "../support/rclone";
import { listFiles } from "../support/s3-server";
import { AwsS3, startAwsS3 } from "../support/aws-s3";

const BUCKET = "qalita-dr-dev";
const WRITER_SECRET = "qalita-dr-backup-writer";
const destination = {
    bucket: BUCKET,
    region: "eu-west-3",
    kmsKeyArn: "arn:aws:kms:eu-west-3:111122223333:key/test",
    credentials: { kind: "secret" as const, secretName: WRITER_SECRET },
};
const CRYPT_SECRET = { password: "crypt-password-8c1f", salt: "crypt-salt-5d2e" };
const RUNTIME = new Set(["PATH", "SSL_CERT_FILE", "HOME"]);
const kept = { "sources-conf.yaml": "version: 1\nsources:\n- name: warehouse\n  type: postgresql\n", "jobs/42/result.json": '{"score":0.9}' };
const credentials = { ".worker": "eyJ0b2tlbiI6Ing=", ".env-admin": "QALITA_WORKER_TOKEN=x\n", ".current_env": ".env-admin\n" };

const copyPod = () => {
    const args = agentsCopyArgs({
        namespace: "qalita",
        release: "qalita",
        schedule: "0 4 * * 0",
        destination,
        prefix: "agents/",
        cryptSecretName: "qalita-dr-agents-crypt",
        workerPodLabels: { app: "qalita-worker" },
    });
    return copyCronJobSpec({ ...args, serviceAccountName: "sa", configMapName: "scripts" }).jobTemplate.spec.template.spec;
};
const restorePod = () => {
    const { env, secretEnv } = destinationEnv(destination, "agents/");
    return agentsRestoreJobSpec({
        labels: {},
        serviceAccountName: "sa",
        configMapName: "scripts",
        env,
        secretEnv: [...cryptSecretEnv("qalita-dr-agents-crypt"), ...secretEnv],
        bandwidthLimit: "20M",
    }).template.spec;
};

async function writeTree(root: string, files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
    }
}

describe("agents pods' environment against their scripts (rclone crypt → S3)", function () {
    let s3: AwsS3;
    const dirs: string[] = [];
    const pods: EmulatedPod[] = [];

    /** Runs a rendered pod: its ConfigMap's files, the store PVC on `store`, the test's Secrets, the bucket's endpoint. */
    async function runPod(spec: any, files: Record<string, string>, store: string): Promise<ScriptResult> {
        const pod = new EmulatedPod(spec, {
            claims: { [WORKER_STORE_PVC]: store },
            configMaps: { scripts: files },
            // Only the Secrets the stack's pods name: a secretKeyRef to anything else fails the run.
            secrets: {
                "qalita-dr-agents-crypt": CRYPT_SECRET,
                [WRITER_SECRET]: { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey },
            },
            // The stand-in answers path-style only, which rclone's AWS provider never uses.
            network: { DR_DEST_ENDPOINT: s3.endpoint, DR_DEST_PROVIDER: "Other" },
        });
        pods.push(pod);
        const r = await pod.runAll();
        return { code: r.code, stdout: r.output, stderr: "" };
    }
    /**
     * A worker store PVC: a fresh volume (root, 0755), with ~/.qalita (`qalita/`) holding `files`
     * as the worker (root, umask 022) wrote them; without `files`, nothing in it at all.
     */
    async function store(files?: Record<string, string>): Promise<string> {
        const dir = freshClaimDir("qalita-dr-agents-pods-");
        dirs.push(dir);
        if (files) {
            await mkdir(join(dir, "qalita"));
            await writeTree(join(dir, "qalita"), files);
            ownTree(join(dir, "qalita"), { uid: 0, gid: 0 }, { dir: 0o755, file: 0o644 });
        }
        return dir;
    }

    before(async function () {
        requireRoot();
        requireRclone();
        // The bucket's key is the one the rendered pods name: every write must carry it.
        s3 = await startAwsS3([BUCKET], { kmsKeyArn: destination.kmsKeyArn });
    });
    // What AWS would have done differently: another key than the CMK, or a delete the writer may not do.
    afterEach(function () {
        assert.deepEqual(s3.violations, []);
        assert.deepEqual(s3.deniedDeletes, []);
    });

    after(async function () {
        pods.forEach((pod) => pod.cleanup());
        await s3?.stop();
        for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    });

    it("sets only variables the scripts' headers document", async function () {
        for (const [pod, name] of [
            [copyPod(), "offsite-copy.sh"],
            [restorePod(), "restore.sh"],
        ] as const) {
            const header = readScript("agents", name).split("\nset -")[0];
            // Names, and families like "DR_DEST_*" (restore.sh: "as in offsite-copy.sh").
            const documented = [...header.matchAll(/\b(DR_[A-Z0-9_]+\*?)/g)].map((m) => m[1]);
            const covers = (env: string) => documented.some((d) => (d.endsWith("*") ? env.startsWith(d.slice(0, -1)) : env === d));
            for (const e of pod.containers[0].env) assert.ok(RUNTIME.has(e.name) || covers(e.name), `${name}: ${e.name} is not in its header`);
        }
    });

    it("copies the worker store's ~/.qalita without credentials, and the restore Job brings it back into an empty store", async function () {
        const workerStore = await store({ ...kept, ...credentials });
        const copy = await runPod(copyPod(), agentsCopyFiles(), workerStore);
        assert.equal(copy.code, 0, describeRun(copy));
        const keys = await s3.keys(BUCKET);
        assert.equal(keys.length, Object.keys(kept).length, keys.join(", "));
        assert.ok(
            keys.every((key) => key.startsWith("agents/")),
            keys.join(", "),
        );

        const newStore = await store();
        const restore = await runPod(restorePod(), agentsRestoreFiles(), newStore);
        assert.equal(restore.code, 0, describeRun(restore));
        const target = join(newStore, "qalita");
        const restored: Record<string, string> = {};
        for (const file of await listFiles(target)) restored[relative(target, file)] = await readFile(file, "utf8");
        assert.deepEqual(restored, kept);
        for (const secret of Object.values(CRYPT_SECRET)) assert.ok(!(copy.stdout + restore.stdout).includes(secret), "a crypt secret is in a log");
    });
});
