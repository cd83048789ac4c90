// The worker's release values (worker-values.ts), and the relink script they put in
// worker.initscript run the way QALITA's chart runs it: piped into /bin/sh in each container.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workerValues } from "../../components/agents/worker-values";
import { resolveAgents } from "../../config/agents/resolve";
import { AgentsSpec } from "../../config/spec";
import { resolveElement } from "../../config/elements/resolve";
import { workerAuthFromSecret } from "../../policies/rules/worker-auth-from-secret";

const agents = (extra: { agents?: unknown; restore?: unknown } = {}): AgentsSpec =>
    resolveAgents({
        release: "qalita",
        element: resolveElement("agents", {}).spec,
        userReleaseValues: { worker: { enabled: true } },
        secrets: { workerToken: "[secret]" },
        ...extra,
    }).spec;
const releaseOf = (values: unknown) => ({
    urn: "urn:pulumi:dev::qalita-dr::kubernetes:helm.sh/v3:Release::qalita-release",
    type: "kubernetes:helm.sh/v3:Release",
    props: { chart: "qalita", values },
});

describe("worker release values", () => {
    it("reads the token from its Secret through extraEnv, after the user's entries, ours winning", () => {
        const user = {
            worker: {
                enabled: true,
                deployment: {
                    extraEnv: [
                        { name: "HTTP_PROXY", value: "http://proxy:3128" },
                        { name: "QALITA_WORKER_NAME", value: "mine" },
                        { name: "QALITA_WORKER_TOKEN", value: "changeme" },
                    ],
                },
            },
        };
        const values: any = workerValues(agents({ agents: { workerName: "worker-eu", endpoint: "https://qalita.example.com/api" } }), user);
        assert.deepEqual(values.worker.deployment.extraEnv, [
            { name: "HTTP_PROXY", value: "http://proxy:3128" },
            { name: "QALITA_WORKER_TOKEN", valueFrom: { secretKeyRef: { name: "qalita-dr-worker", key: "token" } } },
            { name: "QALITA_WORKER_NAME", value: "worker-eu" },
            { name: "QALITA_WORKER_ENDPOINT", value: "https://qalita.example.com/api" },
        ]);
        assert.deepEqual(values.worker.pvc, { storageSize: "10Gi" });
        assert.deepEqual(workerAuthFromSecret.check([releaseOf({ worker: { enabled: true, ...values.worker } })]), []);
    });

    it("keeps the user's QALITA_WORKER_* when the stack sets none of them, and sets nothing without a worker", () => {
        const user = { worker: { enabled: true, deployment: { extraEnv: [{ name: "QALITA_WORKER_MODE", value: "job" }] } } };
        const env = (workerValues(agents(), user) as any).worker.deployment.extraEnv.map((e: any) => e.name);
        assert.deepEqual(env, ["QALITA_WORKER_MODE", "QALITA_WORKER_TOKEN"]);
        const off = resolveAgents({ release: "qalita", element: resolveElement("agents", { enabled: false }).spec, userReleaseValues: {} }).spec;
        assert.deepEqual(workerValues(off, {}), {});
    });

    it("stops the worker while the files come back, then relinks on start, before the user's initscript", () => {
        const user = { worker: { enabled: true, replicaCount: 2, initscript: "pip install my-pack-deps\n" } };
        const files: any = workerValues(agents({ restore: { from: "latest" } }), user).worker;
        assert.equal(files.replicaCount, 0);
        assert.match(files.initscript, /^# shellcheck shell=sh\n# qalita-dr restore\.agents[\s\S]*qalita source push[\s\S]*\npip install my-pack-deps\n$/);
        const relink: any = workerValues(agents({ restore: { from: "latest", relink: true } }), user).worker;
        assert.equal(relink.replicaCount, undefined, "the user's replicaCount applies again");
        assert.equal(relink.initscript, files.initscript);
        assert.equal((workerValues(agents(), user) as any).worker.initscript, undefined, "no relink without a restore");
    });
});

// The chart pipes the script into /bin/sh: dash on Debian images, bash on some. Bash reads a
// piped script a byte at a time, so there a command reading stdin would swallow the rest of it.
for (const shell of ["/bin/sh", "bash"])
    describe(`relink script in worker.initscript (piped into ${shell}, as the chart runs it)`, function () {
        let dir: string;
        before(() => {
            dir = mkdtempSync(join(tmpdir(), "qalita-dr-relink-"));
            // A qalita that logs its arguments and reads its stdin, as a confirmation prompt would.
            writeFileSync(join(dir, "qalita"), '#!/bin/sh\necho "$*" >>"$CALLS"\ncat >/dev/null\n[ "$*" != "worker login" ] || exit "${LOGIN_EXIT:-0}"\n');
            chmodSync(join(dir, "qalita"), 0o755);
            writeFileSync(
                join(dir, "init.sh"),
                (workerValues(agents({ restore: { from: "latest" } }), { worker: { initscript: 'echo "user initscript ran"\n' } }) as any).worker.initscript,
            );
        });
        after(() => rmSync(dir, { recursive: true, force: true }));

        /** One container of the worker pod: PID 1 is `/bin/sh -c "cat /etc/config/init.sh | /bin/sh; <command>"`. */
        function container(command: string, env: Record<string, string> = {}) {
            const calls = join(dir, `calls-${Math.random()}`);
            writeFileSync(calls, "");
            writeFileSync(join(dir, "cmdline"), ["/bin/sh", "-c", `cat /etc/config/init.sh | /bin/sh; ${command}`, ""].join("\0"));
            const run = spawnSync("/bin/sh", ["-c", `cat "${join(dir, "init.sh")}" | ${shell}`], {
                encoding: "utf8",
                env: { PATH: `${dir}:/usr/bin:/bin`, CALLS: calls, DR_PID1_CMDLINE: join(dir, "cmdline"), ...env },
            });
            return { out: run.stdout + run.stderr, calls: readFileSync(calls, "utf8").split("\n").filter(Boolean) };
        }

        it("logs in then pushes the sources in the worker container, and the rest of the script still runs", () => {
            const { out, calls } = container("qalita worker run");
            assert.deepEqual(calls, ["worker login", "source push"]);
            assert.match(out, /qalita-dr relink: done/);
            assert.match(out, /user initscript ran/);
        });

        it("does nothing in the cli container, which runs the same script", () => {
            const { out, calls } = container("sleep infinity");
            assert.deepEqual(calls, []);
            assert.match(out, /user initscript ran/);
        });

        it("logs a failed login loudly and pushes nothing, without stopping the worker's start", () => {
            const { out, calls } = container("qalita worker run", { LOGIN_EXIT: "3" });
            assert.deepEqual(calls, ["worker login"]);
            assert.match(out, /relink: FAILED: qalita worker login exited 3/);
            assert.match(out, /user initscript ran/);
        });
    });
