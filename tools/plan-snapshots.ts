/**
 * npm run plan:snapshots [-- --check]
 * Writes (or, with --check, compares) the offline plans of the dev stack and the fixture stacks in
 * test/fixtures/plans/: a change that should not change what is deployed — a refactoring — must
 * leave them byte-identical; one that should, shows exactly what it changes in the diff.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { PLAN_SNAPSHOTS } from "./plan/snapshots";

const PROJECT_DIR = resolve(__dirname, "..");
const check = process.argv.includes("--check");
let stale = 0;
for (const { stack, configDir, file } of PLAN_SNAPSHOTS) {
    const plan = execFileSync(
        resolve(PROJECT_DIR, "node_modules/.bin/ts-node"),
        ["--swc", "tools/plan.ts", "--stack", stack, "--config-dir", configDir, "--json"],
        { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    if (!check) {
        writeFileSync(file, plan);
    } else if (readFileSync(file, "utf8") !== plan) {
        stale += 1;
        process.stderr.write(`${file}: the plan of ${stack} differs\n`);
    }
}
process.exitCode = stale > 0 ? 1 : 0;
