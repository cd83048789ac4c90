/** Runs the offline plan and policy check as users do, in a child process. */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const PROJECT_DIR = resolve(__dirname, "../..");
export const STACK_FIXTURES = resolve(PROJECT_DIR, "test/fixtures/stacks");
const TS_NODE = resolve(PROJECT_DIR, "node_modules/.bin/ts-node");

export interface CliResult { status: number; stdout: string; stderr: string }

function run(script: string, args: string[], input?: string): CliResult {
    const result = spawnSync(TS_NODE, ["--transpile-only", resolve(PROJECT_DIR, script), ...args], {
        cwd: PROJECT_DIR, encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function plan(args: string[]): CliResult {
    return run("tools/plan.ts", args);
}

export function policy(args: string[], input?: string): CliResult {
    return run("tools/policy-check.ts", args, input);
}

/** The plan of a fixture stack (test/fixtures/stacks/Pulumi.<name>.yaml) as parsed JSON. */
export function planJson(stack: string, configDir = STACK_FIXTURES): any {
    const result = plan(["--stack", stack, "--json", "--config-dir", configDir]);
    if (result.status !== 0) throw new Error(`plan of ${stack} failed (${result.status}): ${result.stderr}`);
    return JSON.parse(result.stdout);
}
