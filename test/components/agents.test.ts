// AgentsDr and WorkerToken on the mock runtime: what they register, checked against the
// Kubernetes schemas, the restricted Pod Security Standard and the policy pack (offline CLI).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { AgentsDr, WorkerToken } from "../../components/agents";
import { blindProperties, isSecretEnvelope } from "../../tools/plan/secrets";
import { planJson, policy, PROJECT_DIR } from "../support/plan-cli";
import { assertRestrictedPod } from "../support/pod-security";

const TOKEN = "qalita-api-0d1e2f3a4b5c";
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
    "kubernetes:batch/v1:CronJob": CronJob,
    "kubernetes:batch/v1:Job": Job,
    "kubernetes:core/v1:ConfigMap": ConfigMap,
    "kubernetes:core/v1:Secret": Secret,
    "kubernetes:core/v1:ServiceAccount": ServiceAccount,
};

interface Step {
    op: "create";
    urn: string;
    newState: { urn: string; custom: boolean; type: string; inputs: any; parent?: string };
    createTimeout?: string;
}
const steps: Step[] = [];
before(() => {
    // Registration requests carry what a preview shows: inputs (secrets still wrapped) and parents.
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) =>
        register(request, (error: unknown, response: any) => {
            if (!error) {
                const urn = response.getUrn();
                steps.push({
                    op: "create",
                    urn,
                    newState: {
                        urn,
                        custom: request.getCustom(),
                        type: request.getType(),
                        inputs: request.getObject()?.toJavaScript() ?? {},
                        parent: request.getParent() || undefined,
                    },
                    createTimeout: request.getCustomtimeouts()?.getCreate() || undefined,
                });
            }
            callback(error, response);
        });
});

/** Inputs in the shape the API server gets them, every secret string replaced by a placeholder (a plan blinds the whole property). */
function placeholders(value: any, secret = false): any {
    if (Array.isArray(value)) return value.map((item) => placeholders(item, secret));
    if (typeof value !== "object" || value === null) return secret && typeof value === "string" ? "[secret]" : value;
    if (isSecretEnvelope(value)) return placeholders(value.value, true);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v, secret)]));
}

const settled = <T>(output: pulumi.Output<T>) =>
    new Promise<T>((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
const own = (root: string) => steps.filter((s) => s.urn.endsWith(`::${root}`) || s.urn.split("::").pop()!.startsWith(`${root}-`));
const custom = (root: string, type: string) => own(root).filter((s) => s.newState.type === type);
const podOf = (step: Step) => step.newState.inputs.spec?.jobTemplate?.spec?.template?.spec ?? step.newState.inputs.spec?.template?.spec;

const destination = {
    bucket: "qalita-dr-dev",
    region: "eu-west-3",
    kmsKeyArn: "arn:aws:kms:eu-west-3:111122223333:key/test",
    credentials: { kind: "secret" as const, secretName: "qalita-dr-backup-writer" },
};
const agentsArgs = {
    namespace: "qalita",
    release: "qalita",
    schedule: "0 4 * * 0",
    destination,
    prefix: "agents/",
    workerPodLabels: { app: "qalita-worker", release: "qalita" },
};

describe("AgentsDr component", () => {
    before(async () => {
        const dr = new AgentsDr("agents", { ...agentsArgs, restore: { from: "latest", relink: false } });
        await settled(pulumi.all([dr.offsiteCronJob, dr.restoreJob!, dr.cryptSecretName]));
        const token = new WorkerToken("worker-token", {
            namespace: "qalita",
            secretName: "qalita-dr-worker",
            key: "token",
            token: TOKEN,
            labels: { "app.kubernetes.io/part-of": "qalita-dr" },
        });
        await settled(token.secretName);
        const adopted = new AgentsDr("agents-adopted", {
            ...agentsArgs,
            release: "other",
            crypt: { password: "vault-password", salt: "vault-salt" },
            restore: { from: "latest", relink: true },
        });
        await settled(adopted.cryptSecretName);
    });

    it("registers valid core objects whose pods are restricted", () => {
        const objects = [...own("agents"), ...own("worker-token")].filter((s) => s.newState.custom && s.newState.type.startsWith("kubernetes:"));
        assert.deepEqual([...new Set(objects.map((s) => s.newState.type))].sort(), Object.keys(MODELS).sort());
        for (const step of objects) {
            new MODELS[step.newState.type](placeholders(step.newState.inputs)).validate();
            const pod = podOf(step);
            if (pod) assertRestrictedPod(pod, step.urn);
        }
    });

    it("keeps the crypt key and the token secret: generated, adopted or configured, always blinded", () => {
        assert.equal(own("agents").filter((s) => s.newState.type === "random:index/randomPassword:RandomPassword").length, 2);
        assert.equal(own("agents-adopted").filter((s) => s.newState.type === "random:index/randomPassword:RandomPassword").length, 0);
        const secrets = [...custom("agents", "kubernetes:core/v1:Secret"), ...custom("worker-token", "kubernetes:core/v1:Secret")];
        assert.deepEqual(secrets.map((s) => s.newState.inputs.metadata.name).sort(), ["other-dr-agents-crypt", "qalita-dr-agents-crypt", "qalita-dr-worker"]);
        for (const secret of secrets) assert.equal(blindProperties(secret.newState.inputs).stringData, "[secret]", secret.urn);
        const shown = JSON.stringify(steps.map((s) => blindProperties(s.newState.inputs)));
        for (const value of [TOKEN, "vault-password", "vault-salt", "mock-agents-crypt-password"])
            assert.ok(!shown.includes(value), "a secret shows in the plan");
    });

    it("copies the worker store read-only from the worker's node, with the crypt key and the exclude list", () => {
        const [cronJob] = custom("agents", "kubernetes:batch/v1:CronJob");
        assert.equal(cronJob.newState.inputs.metadata.name, "qalita-dr-agents-offsite");
        assert.equal(cronJob.newState.inputs.spec.schedule, "0 4 * * 0");
        const pod = podOf(cronJob);
        assert.deepEqual(pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim, { claimName: "qalita-worker-store", readOnly: true });
        assert.deepEqual(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution, [
            { labelSelector: { matchLabels: { app: "qalita-worker", release: "qalita" } }, topologyKey: "kubernetes.io/hostname" },
        ]);
        const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        assert.equal(env.DR_SOURCE_DIR, "/data/qalita");
        assert.equal(env.DR_DEST_PREFIX, "agents");
        assert.deepEqual(env.DR_CRYPT_SALT, { secretKeyRef: { name: "qalita-dr-agents-crypt", key: "salt" } });
        const scripts = custom("agents", "kubernetes:core/v1:ConfigMap").find((c) => c.newState.inputs.metadata.name === "qalita-dr-agents-offsite-scripts")!;
        assert.deepEqual(Object.keys(scripts.newState.inputs.data).sort(), [
            "credential-files.exclude",
            "heartbeat.sh",
            "offsite-copy.sh",
            "rclone-dest.sh",
            "vault.sh",
        ]);
        assert.equal(env.DR_EXCLUDE_FROM, "/scripts/credential-files.exclude");
    });

    it("restores into the worker store with a one-shot Job named after what it restores, awaited to its deadline", () => {
        const [job] = custom("agents", "kubernetes:batch/v1:Job");
        assert.equal(job.newState.inputs.metadata.name, "qalita-dr-agents-restore-latest");
        assert.equal(job.newState.inputs.metadata.labels["dr.qalita.io/action"], "restore");
        // The provider awaits a Job's completion: as long as the Job itself may run, not its 10 min default.
        assert.equal(job.createTimeout, "6h");
        assert.equal(job.newState.inputs.spec.activeDeadlineSeconds, 6 * 3600);
        const pod = podOf(job);
        assert.deepEqual(pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim, { claimName: "qalita-worker-store" });
        assert.equal(pod.securityContext.fsGroup, pod.securityContext.runAsUser, "writes into the root-owned store through its group");
        assert.equal(pod.affinity, undefined, "the worker is stopped: nothing to run beside");
        const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        assert.equal(env.DR_TARGET_DIR, "/data/qalita");
        assert.equal(env.DR_RUN_LOGIN, "0", "login and source push are the worker's own start");
        assert.equal(custom("agents-adopted", "kubernetes:batch/v1:Job").length, 0, "no restore Job once the worker runs again (relink)");
    });

    describe("against the policy pack (npm run policy)", () => {
        let document: any;
        before(() => {
            // The whole stack as planned, agents wired by the composition root.
            document = planJson("dev", PROJECT_DIR);
        });
        // Only these two rules are asserted here; the others have their own tests.
        const OURS = ["no-credential-files-in-backups", "worker-auth-from-secret"];
        const check = (edit: (doc: any) => void = () => undefined) => {
            const copy = JSON.parse(JSON.stringify(document));
            edit(copy);
            const result = policy(["-", "--json"], JSON.stringify(copy));
            const report = JSON.parse(result.stdout);
            return { status: result.status, rules: report.rules as string[], violations: (report.violations as any[]).filter((v) => OURS.includes(v.policy)) };
        };

        it("passes as planned", () => {
            const result = check();
            for (const rule of OURS) assert.ok(result.rules.includes(rule), `${rule} is registered`);
            assert.deepEqual(result.violations, []);
        });

        it("fails naming no-credential-files-in-backups when one exclusion is dropped", () => {
            const result = check((doc) => {
                const scripts = doc.steps.find((s: any) => s.newState.inputs.metadata?.name === "qalita-dr-agents-offsite-scripts");
                scripts.newState.inputs.data["credential-files.exclude"] = scripts.newState.inputs.data["credential-files.exclude"].replace(
                    /^\.worker\*\n/m,
                    "",
                );
            });
            assert.equal(result.status, 1);
            assert.equal(result.violations.length, 1, JSON.stringify(result.violations));
            assert.equal(result.violations[0].policy, "no-credential-files-in-backups");
            assert.match(result.violations[0].urn, /CronJob::agents-offsite-cronjob$/);
            assert.match(result.violations[0].message, /misses \.worker\*:/);
        });

        it("fails naming worker-auth-from-secret with a literal token", () => {
            const result = check((doc) => {
                doc.steps.find(
                    (s: any) => s.newState.type === "kubernetes:helm.sh/v3:Release" && s.newState.inputs.chart === "qalita",
                ).newState.inputs.values.worker.token = TOKEN;
            });
            assert.equal(result.status, 1);
            assert.deepEqual(
                result.violations.map((v) => v.policy),
                ["worker-auth-from-secret"],
            );
            assert.match(result.violations[0].urn, /Release::qalita-release$/);
            assert.match(result.violations[0].message, /worker\.token is a token in plain text/);
        });
    });
});
