import { strict as assert } from "node:assert";
import { PlanResource, UNKNOWN_SENTINEL } from "../../contracts/preview";
import { workerAuthFromSecret } from "../../policies/rules/worker-auth-from-secret";

const TOKEN_FROM_SECRET = { name: "QALITA_WORKER_TOKEN", valueFrom: { secretKeyRef: { name: "qalita-dr-worker", key: "token" } } };
function release(values: unknown): PlanResource {
    return {
        urn: "urn:pulumi:dev::qalita-dr::kubernetes:helm.sh/v3:Release::qalita-release",
        type: "kubernetes:helm.sh/v3:Release",
        props: { chart: "qalita", values },
    };
}
const messages = (values: unknown) => workerAuthFromSecret.check([release(values)]).map((v) => v.message);

describe("policy worker-auth-from-secret", () => {
    it("passes a worker whose token comes last from a Secret, over the chart's placeholder", () => {
        assert.deepEqual(
            messages({ worker: { enabled: true, deployment: { extraEnv: [{ name: "HTTP_PROXY", value: "http://proxy:3128" }, TOKEN_FROM_SECRET] } } }),
            [],
        );
        assert.deepEqual(messages({ worker: { enabled: true, token: "changeme", deployment: { extraEnv: [TOKEN_FROM_SECRET] } } }), []);
        assert.deepEqual(messages({ worker: { enabled: false } }), [], "no worker, nothing authenticates");
        assert.deepEqual(messages(UNKNOWN_SENTINEL), [], "not judged before it can be known");
    });

    it("fails a literal worker.token, even with the Secret reference", () => {
        const [message] = messages({ worker: { enabled: true, token: "qalita-api-0d1e2f", deployment: { extraEnv: [TOKEN_FROM_SECRET] } } });
        assert.match(message, /values\.worker\.token is a token in plain text/);
    });

    it("fails a literal token in extraEnv, current or pre-2.11 name", () => {
        const literal = messages({
            worker: { enabled: true, deployment: { extraEnv: [TOKEN_FROM_SECRET, { name: "QALITA_AGENT_TOKEN", value: "qalita-api-0d1e2f" }] } },
        });
        assert.deepEqual(literal.length, 1);
        assert.match(literal[0], /extraEnv sets QALITA_AGENT_TOKEN as plain text/);
    });

    it("fails a worker left on the chart's literal token", () => {
        for (const worker of [
            { enabled: true },
            {
                enabled: true,
                deployment: { extraEnv: [TOKEN_FROM_SECRET, { name: "QALITA_WORKER_TOKEN", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }] },
            },
        ]) {
            const [message] = messages({ worker });
            assert.match(message, /authenticates with the chart's literal worker\.token \("changeme"\)/, JSON.stringify(worker));
        }
    });

    it("fails values blinded as secret: nobody can check them", () => {
        assert.match(messages("[secret]")[0], /values are secret/);
    });
});
