// The CrossGuard pack as the Pulumi CLI starts it (`pulumi preview --policy-pack policies`): it
// must load every rule and serve, printing its gRPC port, without the engine around.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { resolve } from "node:path";

import { PROJECT_DIR } from "../support/plan-cli";

describe("the policy pack", () => {
    it("loads every rule and starts serving", async () => {
        const pack = spawn(resolve(PROJECT_DIR, "node_modules/.bin/ts-node"), ["--transpile-only", "index.ts"], { cwd: resolve(PROJECT_DIR, "policies") });
        let stderr = "";
        pack.stderr.on("data", (chunk) => (stderr += chunk));
        try {
            const port = await new Promise<string>((done, fail) => {
                pack.stdout.on("data", (chunk) => done(String(chunk).trim()));
                pack.on("exit", (code) => fail(new Error(`the pack exited (${code}) before serving: ${stderr}`)));
                setTimeout(() => fail(new Error(`no port after 60 s: ${stderr}`)), 60_000);
            });
            assert.match(port, /^\d+$/);
        } finally {
            pack.kill();
        }
    });
});
