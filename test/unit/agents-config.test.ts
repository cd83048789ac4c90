import { strict as assert } from "node:assert";
import { AgentsConfigInput, resolveAgents } from "../../config/agents/resolve";
import { agentsSchema } from "../../config/agents/schema";
import { agentsRestoreSchema } from "../../config/restore/schema";
import { resolveElement } from "../../config/elements/resolve";

const TOKEN = "qalita-api-7f3a9c0d1e2b";
const agentsOn = resolveElement("agents", {}).spec;
const agentsOff = resolveElement("agents", { enabled: false }).spec;
const base: AgentsConfigInput = { release: "qalita", element: agentsOn, userReleaseValues: { worker: { enabled: true } }, secrets: { workerToken: TOKEN } };
const keys = (input: Partial<AgentsConfigInput>) => resolveAgents({ ...base, ...input }).problems.map((p) => p.key);

describe("agents config (qalita-dr:agents, secrets.workerToken, restore.agents)", () => {
    it("takes the token from secrets.workerToken through the Secret the stack creates, with the chart's defaults", () => {
        const { spec, problems } = resolveAgents(base);
        assert.deepEqual(problems, []);
        assert.deepEqual(spec.worker, {
            token: { kind: "stack", secretName: "qalita-dr-worker", key: "token" },
            env: { name: undefined, mode: undefined, endpoint: undefined },
            storageSize: "10Gi",
            podLabels: { app: "qalita-worker", release: "qalita" },
        });
        assert.equal(agentsOn.offsiteUtcCron, "0 4 * * 0");
        assert.equal(spec.bandwidthLimit, "20M");
        assert.equal(spec.cryptAdopted, false);
        assert.equal(spec.restore, undefined);
        assert.ok(!JSON.stringify(spec).includes(TOKEN), "the token's value never reaches the spec");
    });

    it("takes an existing Secret instead, and the configured worker settings", () => {
        const agents = {
            tokenSecret: { name: "worker-token", key: "api-token" },
            workerName: "worker-eu",
            workerMode: "job",
            endpoint: "https://qalita.example.com/api",
            storageSize: "20Gi",
            workerPodLabels: { "app.kubernetes.io/name": "worker" },
            bandwidthLimit: "5M",
        };
        const { spec, problems } = resolveAgents({ ...base, secrets: {}, agents });
        assert.deepEqual(problems, []);
        assert.deepEqual(spec.worker, {
            token: { kind: "existing", secretName: "worker-token", key: "api-token" },
            env: { name: "worker-eu", mode: "job", endpoint: "https://qalita.example.com/api" },
            storageSize: "20Gi",
            podLabels: { "app.kubernetes.io/name": "worker" },
        });
        assert.equal(spec.bandwidthLimit, "5M");
        assert.deepEqual(agentsSchema.safeParse(agents).success, true);
    });

    it("refuses a worker without a token, naming both ways to give one", () => {
        const { problems } = resolveAgents({ ...base, secrets: undefined });
        assert.equal(problems.length, 1);
        assert.equal(problems[0].key, "qalita-dr:agents.tokenSecret");
        assert.match(problems[0].message, /secrets\.workerToken/);
        assert.match(problems[0].message, /agents\.tokenSecret/);
        // A worker without the agents backup needs its token just the same.
        assert.deepEqual(keys({ secrets: {}, element: agentsOff }), ["qalita-dr:agents.tokenSecret"]);
    });

    it("needs no token when no worker runs", () => {
        const { spec, problems } = resolveAgents({ ...base, secrets: {}, element: agentsOff, userReleaseValues: {} });
        assert.deepEqual(problems, []);
        assert.equal(spec.worker, undefined);
        assert.equal(agentsOff.offsiteUtcCron, undefined);
    });

    it("refuses a token configured twice, or the chart's placeholder, without printing the value", () => {
        const twice = resolveAgents({ ...base, agents: { tokenSecret: { name: "worker-token", key: "token" } } }).problems;
        assert.deepEqual(
            twice.map((p) => p.key),
            ["qalita-dr:agents.tokenSecret"],
        );
        assert.ok(!twice[0].message.includes(TOKEN));
        assert.deepEqual(keys({ secrets: { workerToken: "changeme" } }), ["qalita-dr:secrets.workerToken"]);
        assert.deepEqual(keys({ secrets: { workerToken: " changeme\n" } }), ["qalita-dr:secrets.workerToken"]);
    });

    it("adopts a crypt key only whole: password and salt", () => {
        assert.deepEqual(keys({ secrets: { workerToken: TOKEN, agentsCryptPassword: "p" } }), ["qalita-dr:secrets.agentsCryptSalt"]);
        assert.deepEqual(keys({ secrets: { workerToken: TOKEN, agentsCryptSalt: "s" } }), ["qalita-dr:secrets.agentsCryptPassword"]);
        assert.equal(resolveAgents({ ...base, secrets: { workerToken: TOKEN, agentsCryptPassword: "p", agentsCryptSalt: "s" } }).spec.cryptAdopted, true);
    });

    it("refuses a literal token in releaseValues' extraEnv, at its index", () => {
        const extraEnv = [
            { name: "HTTP_PROXY", value: "http://proxy:3128" },
            { name: "QALITA_AGENT_TOKEN", value: TOKEN },
            { name: "QALITA_WORKER_TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
        ];
        const problems = resolveAgents({ ...base, userReleaseValues: { worker: { enabled: true, deployment: { extraEnv } } } }).problems;
        assert.deepEqual(
            problems.map((p) => p.key),
            ["qalita-dr:releaseValues.worker.deployment.extraEnv[1]"],
        );
        assert.ok(!problems[0].message.includes(TOKEN));
    });

    it('restores "latest", the worker stopped until relink: true, and only with the agents backup on', () => {
        assert.deepEqual(resolveAgents({ ...base, restore: { from: "latest" } }).spec.restore, { from: "latest", relink: false });
        assert.deepEqual(resolveAgents({ ...base, restore: { from: "latest", relink: true } }).spec.restore, { from: "latest", relink: true });
        assert.deepEqual(keys({ restore: { from: "latest" }, element: agentsOff }), ["qalita-dr:restore.agents"]);
    });

    it("says why a point in time is refused, and rejects selectors that match every pod", () => {
        const pointInTime = agentsRestoreSchema.safeParse({ from: "2026-11-24T02:00:00Z" });
        assert.equal(pointInTime.success, false);
        assert.match(pointInTime.error!.issues[0].message, /latest.*restore-agents\.md/);
        assert.equal(agentsSchema.safeParse({ workerPodLabels: {} }).success, false);
        assert.equal(agentsSchema.safeParse({ tokenSecret: { name: "Worker_Token", key: "token" } }).success, false);
        assert.equal(agentsSchema.safeParse({ workerMode: "daemon" }).success, false);
        assert.equal(agentsSchema.safeParse({ bandwidthLimit: "fast" }).success, false);
    });
});
