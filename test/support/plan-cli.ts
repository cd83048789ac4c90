/**
 * Runs the offline plan and policy check as users do, in a child process. A plan is a pure
 * function of its arguments and the stack files, so each distinct run happens once per test
 * process (the same plan of `dev` serves five test files), and the plans most files read are
 * computed up front, two at a time (`prefetchPlans`, a root hook in test/mocks.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { PLAN_SNAPSHOTS } from "../../tools/plan/snapshots";

export const PROJECT_DIR = resolve(__dirname, "../..");
export const STACK_FIXTURES = resolve(PROJECT_DIR, "test/fixtures/stacks");
const TS_NODE = resolve(PROJECT_DIR, "node_modules/.bin/ts-node");

export interface CliResult { status: number; stdout: string; stderr: string }

/** Runs without side effects (no --out), so a result can be reused. */
const cacheable = (args: readonly string[], input?: string) => input === undefined && !args.includes("--out");
const results = new Map<string, CliResult | Promise<CliResult>>();
const keyOf = (script: string, args: readonly string[]) => JSON.stringify([script, ...args]);

function command(script: string, args: readonly string[]): [string, string[]] {
    return [TS_NODE, ["--transpile-only", resolve(PROJECT_DIR, script), ...args]];
}

function run(script: string, args: string[], input?: string): CliResult {
    const key = keyOf(script, args);
    const known = cacheable(args, input) ? results.get(key) : undefined;
    if (known && !(known instanceof Promise)) return known;
    const [file, argv] = command(script, args);
    const result = spawnSync(file, argv, { cwd: PROJECT_DIR, encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw result.error;
    const done = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if (cacheable(args, input)) results.set(key, done);
    return done;
}

function runAsync(script: string, args: string[]): Promise<CliResult> {
    const [file, argv] = command(script, args);
    return new Promise((done, fail) => {
        const child = spawn(file, argv, { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", fail);
        child.on("close", (status) => done({ status: status ?? -1, stdout, stderr }));
    });
}

export function plan(args: string[]): CliResult {
    return run("tools/plan.ts", args);
}

export function policy(args: string[], input?: string): CliResult {
    return run("tools/policy-check.ts", args, input);
}

/** The arguments of a stack's JSON plan, in the one order every caller uses (one cache entry). */
export function planJsonArgs(stack: string, configDir = STACK_FIXTURES): string[] {
    return ["--stack", stack, "--json", "--config-dir", configDir];
}

/** The plan of a fixture stack (test/fixtures/stacks/Pulumi.<name>.yaml) as parsed JSON. */
export function planJson(stack: string, configDir = STACK_FIXTURES): any {
    const result = plan(planJsonArgs(stack, configDir));
    if (result.status !== 0) throw new Error(`plan of ${stack} failed (${result.status}): ${result.stderr}`);
    return JSON.parse(result.stdout);
}

/** Computes the snapshot stacks' JSON plans, `parallel` at a time, for later `plan` calls to reuse. */
export async function prefetchPlans(parallel = 2): Promise<void> {
    const queue = PLAN_SNAPSHOTS.map(({ stack, configDir }) => planJsonArgs(stack, configDir));
    const worker = async () => {
        for (let args = queue.shift(); args; args = queue.shift()) {
            const key = keyOf("tools/plan.ts", args);
            if (results.has(key)) continue;
            const pending = runAsync("tools/plan.ts", args);
            results.set(key, pending);
            results.set(key, await pending);
        }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
}
