// The agents copy CronJob and restore Job hand their scripts the right environment: each pod's
// own env (mount paths mapped to a temp dir, Secret values filled in) runs the very files of its
// ConfigMap against real rclone and an S3 API, and the restore brings back what the copy shipped.
import { strict as assert } from "node:assert";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { agentsCopyArgs, scriptFiles } from "../../components/agents/offsite-spec";
import { agentsRestoreJobSpec } from "../../components/agents/restore-job-spec";
import { cryptSecretEnv } from "../../components/agents/offsite-spec";
import { destinationEnv } from "../../components/offsite/destination";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { describeRun, requireRclone, runScript } from "../support/rclone";
import { listFiles } from "../support/s3-server";
import { AwsS3, awsDestEnv, startAwsS3 } from "../support/aws-s3";

const BUCKET = "qalita-dr-dev";
const destination = { bucket: BUCKET, region: "eu-west-3", kmsKeyArn: "arn:aws:kms:eu-west-3:111122223333:key/test", credentials: { kind: "secret" as const, secretName: "qalita-dr-backup-writer" } };
const SECRETS: Record<string, string> = { "qalita-dr-agents-crypt/password": "crypt-password-8c1f", "qalita-dr-agents-crypt/salt": "crypt-salt-5d2e" };
const RUNTIME = new Set(["PATH", "SSL_CERT_FILE", "HOME"]);
const kept = { "sources-conf.yaml": "version: 1\nsources:\n- name: warehouse\n  type: postgresql\n", "jobs/42/result.json": '{"score":0.9}' };
const credentials = { ".worker": "eyJ0b2tlbiI6Ing=", ".env-admin": "QALITA_WORKER_TOKEN=x\n", ".current_env": ".env-admin\n" };

const copyPod = () => {
    const args = agentsCopyArgs({ namespace: "qalita", release: "qalita", schedule: "0 4 * * 0", destination, cryptSecretName: "qalita-dr-agents-crypt", workerPodLabels: { app: "qalita-worker" } });
    return copyCronJobSpec({ ...args, serviceAccountName: "sa", configMapName: "scripts" }).jobTemplate.spec.template.spec;
};
const restorePod = () => {
    const { env, secretEnv } = destinationEnv(destination, "agents/");
    return agentsRestoreJobSpec({ labels: {}, serviceAccountName: "sa", configMapName: "scripts", env, secretEnv: [...cryptSecretEnv("qalita-dr-agents-crypt"), ...secretEnv], bandwidthLimit: "20M" }).template.spec;
};

async function writeTree(root: string, files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
    }
}

describe("agents pods' environment against their scripts (rclone crypt → S3)", function () {
    let s3: AwsS3;
    let work: string;

    /** A container's env as the pod gets it: mount paths under `root`, secretKeyRefs resolved, the test server as destination. */
    function podEnv(container: any, root: string): Record<string, string> {
        const env: Record<string, string> = {};
        for (const e of container.env) {
            if (RUNTIME.has(e.name)) continue;
            const ref = e.valueFrom?.secretKeyRef;
            if (ref?.name === "qalita-dr-backup-writer") continue; // the test server's credentials below
            env[e.name] = ref ? SECRETS[`${ref.name}/${ref.key}`] : e.value.replace(/^\/(data|scripts)(\/|$)/, `${root}/$1$2`);
            assert.ok(env[e.name] !== undefined, `${e.name} reads ${ref?.name}/${ref?.key}, which is not the crypt Secret`);
        }
        return { ...env, ...awsDestEnv(s3, BUCKET) };
    }

    /** Runs a pod's container: its ConfigMap's files under <root>/scripts, its command's script. */
    async function runPod(pod: any, files: Record<string, string>, root: string) {
        await writeTree(join(root, "scripts"), files);
        const [container] = pod.containers;
        const script = container.command[1].replace(/^\/scripts\//, `${root}/scripts/`);
        return runScript(script, { ...podEnv(container, root), DR_LIB_DIR: join(root, "scripts") });
    }

    before(async function () {
        requireRclone();
        s3 = await startAwsS3([BUCKET]);
        work = await mkdtemp(join(tmpdir(), "qalita-dr-agents-pods-"));
    });
    // What AWS would have done differently: another key than the CMK, or a delete the writer may not do.
    afterEach(function () {
        assert.deepEqual(s3.violations, []);
        assert.deepEqual(s3.deniedDeletes, []);
    });

    after(async function () {
        await s3?.stop();
        if (work) await rm(work, { recursive: true, force: true });
    });

    it("sets only variables the scripts' headers document", async function () {
        for (const [pod, name] of [[copyPod(), "offsite-copy.sh"], [restorePod(), "restore.sh"]] as const) {
            const header = (await readFile(join(__dirname, "../../components/agents/scripts", name), "utf8")).split("\nset -")[0];
            // Names, and families like "DR_DEST_*" (restore.sh: "as in offsite-copy.sh").
            const documented = [...header.matchAll(/\b(DR_[A-Z0-9_]+\*?)/g)].map((m) => m[1]);
            const covers = (env: string) => documented.some((d) => (d.endsWith("*") ? env.startsWith(d.slice(0, -1)) : env === d));
            for (const e of pod.containers[0].env) assert.ok(RUNTIME.has(e.name) || covers(e.name), `${name}: ${e.name} is not in its header`);
        }
    });

    it("copies the worker store's ~/.qalita without credentials, and the restore Job brings it back into an empty store", async function () {
        const copyRoot = join(work, "worker-node");
        await writeTree(join(copyRoot, "data", "qalita"), { ...kept, ...credentials });
        const copy = await runPod(copyPod(), scriptFiles("offsite-copy.sh"), copyRoot);
        assert.equal(copy.code, 0, describeRun(copy));
        const keys = await s3.keys(BUCKET);
        assert.equal(keys.length, Object.keys(kept).length, keys.join(", "));
        assert.ok(keys.every((key) => key.startsWith("agents/")), keys.join(", "));

        const restoreRoot = join(work, "new-cluster");
        await mkdir(join(restoreRoot, "data"), { recursive: true });
        const restore = await runPod(restorePod(), scriptFiles("restore.sh"), restoreRoot);
        assert.equal(restore.code, 0, describeRun(restore));
        const target = join(restoreRoot, "data", "qalita");
        const restored: Record<string, string> = {};
        for (const file of await listFiles(target)) restored[relative(target, file)] = await readFile(file, "utf8");
        assert.deepEqual(restored, kept);
        for (const secret of Object.values(SECRETS)) assert.ok(!(copy.stdout + restore.stdout).includes(secret), "a crypt secret is in a log");
    });
});
