/**
 * Runs the offline plan and policy check with the arguments users give them, in the plan server
 * (test/support/plan-server.ts: the tools' code run in one long-lived process per mocha worker;
 * `shellCommand` is the real process, and a test holds the two to the same output). A plan is
 * a pure function of its arguments and the project's files, so each distinct run happens once per
 * test run, even across mocha's parallel workers: results are kept in a directory of this run
 * (named after the mocha process and a hash of those files), and a worker that finds a run in
 * progress elsewhere waits for it. The plans most files read are computed up front
 * (`prefetchPlans`, a root hook in test/mocks.ts).
 */
import { ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PLAN_SNAPSHOTS } from "../../tools/plan/snapshots";

export const PROJECT_DIR = resolve(__dirname, "../..");
export const STACK_FIXTURES = resolve(PROJECT_DIR, "test/fixtures/stacks");
const TS_NODE = resolve(PROJECT_DIR, "node_modules/.bin/ts-node");

export interface CliResult {
    status: number;
    stdout: string;
    stderr: string;
}

/** What a plan depends on: the program, its config files and the fixtures a test passes it. */
const INPUTS = [
    "index.ts",
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "package-lock.json",
    "config",
    "components",
    "contracts",
    "tools",
    "policies",
    "test/fixtures/stacks",
    "test/fixtures/adopt",
];

function sourceHash(): string {
    const hash = createHash("sha256");
    const add = (path: string) => {
        const full = join(PROJECT_DIR, path);
        if (!existsSync(full)) return;
        if (statSync(full).isDirectory()) {
            for (const entry of readdirSync(full).sort()) add(join(path, entry));
        } else {
            hash.update(path).update(readFileSync(full));
        }
    };
    INPUTS.forEach(add);
    return hash.digest("hex").slice(0, 16);
}

const CACHE_ROOT = join(tmpdir(), "qalita-dr-test-plans");
let cacheDir: string | undefined;
function cacheDirectory(): string {
    if (cacheDir) return cacheDir;
    mkdirSync(CACHE_ROOT, { recursive: true });
    // Directories of earlier runs are of no use to anyone.
    for (const entry of readdirSync(CACHE_ROOT)) {
        const path = join(CACHE_ROOT, entry);
        if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    }
    // One directory per test run: parallel workers (MOCHA_WORKER_ID set) share their parent's.
    const run = process.env.MOCHA_WORKER_ID !== undefined ? process.ppid : process.pid;
    cacheDir = join(CACHE_ROOT, `${run}-${sourceHash()}`);
    mkdirSync(cacheDir, { recursive: true });
    return cacheDir;
}

/** Runs without side effects (no --out, no stdin), so a result can be reused. */
const cacheable = (args: readonly string[], input?: string) => input === undefined && !args.includes("--out");
const entryOf = (script: string, args: readonly string[]) =>
    join(
        cacheDirectory(),
        createHash("sha256")
            .update(JSON.stringify([script, ...args]))
            .digest("hex")
            .slice(0, 24),
    );

function command(script: string, args: readonly string[]): [string, string[]] {
    return [TS_NODE, ["--swc", resolve(PROJECT_DIR, script), ...args]];
}

function store(entry: string, result: CliResult): CliResult {
    writeFileSync(`${entry}.tmp`, JSON.stringify(result));
    renameSync(`${entry}.tmp`, `${entry}.json`);
    return result;
}

/** Claims a run: true for the one process that may compute it. */
function claim(entry: string): boolean {
    try {
        writeFileSync(`${entry}.lock`, String(process.pid), { flag: "wx" });
        return true;
    } catch {
        return false;
    }
}

/** The result another worker is computing; null when that worker is gone (the caller computes it). */
function waitFor(entry: string): CliResult | null {
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; waited < 300_000; waited += 100) {
        if (existsSync(`${entry}.json`)) return JSON.parse(readFileSync(`${entry}.json`, "utf8"));
        const owner = Number(readFileSync(`${entry}.lock`, "utf8"));
        if (!alive(owner)) return null;
        Atomics.wait(sleeper, 0, 0, 100);
    }
    throw new Error(`a plan run claimed in ${entry}.lock never finished`);
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** A tool's command line for a shell, as `npm run` runs it. */
export function shellCommand(script: string, args: readonly string[]): string {
    const [file, argv] = command(script, args);
    return [file, ...argv].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(" ");
}

let server: { socket: string; process: ChildProcess } | undefined;

/** This worker's plan server, started on first use; it exits with the worker. */
function planServer(): string {
    // A server that died (a crash is a bug to see, not to hide: its stderr is the worker's) is replaced.
    if (server && server.process.exitCode === null && server.process.signalCode === null) return server.socket;
    const socket = join(cacheDirectory(), `server-${process.pid}-${Date.now()}.sock`);
    rmSync(socket, { force: true });
    const child = spawn(process.execPath, ["-r", resolve(PROJECT_DIR, "test/register.js"), resolve(__dirname, "plan-server.ts"), socket], {
        cwd: PROJECT_DIR,
        stdio: ["pipe", "inherit", "inherit"],
    });
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    if (!server) process.on("exit", () => server?.process.kill());
    server = { socket, process: child };
    return socket;
}

const NO_REPLY = "the plan server closed the connection without a reply: it crashed (its stderr is in the test output above)";

let client: { thread: Worker; port: MessagePort; signal: Int32Array } | undefined;

/** A run in the plan server, waiting for it: tests call the tools synchronously (plan-client.js). */
function served(script: string, args: string[], input?: string): CliResult {
    if (!client) {
        const { port1, port2 } = new MessageChannel();
        const signal = new Int32Array(new SharedArrayBuffer(4));
        const thread = new Worker(resolve(__dirname, "plan-client.js"), { workerData: { signal, port: port2 }, transferList: [port2] });
        thread.unref();
        client = { thread, port: port1, signal };
    }
    Atomics.store(client.signal, 0, 0);
    client.thread.postMessage({ socketPath: planServer(), request: { script, args, input } });
    if (Atomics.wait(client.signal, 0, 0, 300_000) === "timed-out") throw new Error("the plan server gave no reply in 5 minutes");
    const { reply, error } = receiveMessageOnPort(client.port)!.message as { reply?: string; error?: string };
    if (error) throw new Error(error);
    if (!reply) throw new Error(NO_REPLY);
    return JSON.parse(reply) as CliResult;
}

/** A run in the plan server, without blocking this worker. */
function servedAsync(script: string, args: string[]): Promise<CliResult> {
    const socket = planServer();
    return new Promise((done, fail) => {
        const attempt = (tries: number) => {
            let reply = "";
            const connection = connect(socket);
            connection.setEncoding("utf8");
            connection.on("connect", () => connection.write(`${JSON.stringify({ script, args })}\n`));
            connection.on("data", (chunk: string) => (reply += chunk));
            connection.on("end", () => (reply ? done(JSON.parse(reply) as CliResult) : fail(new Error(NO_REPLY))));
            connection.on("error", (error: NodeJS.ErrnoException) =>
                tries > 0 && ["ENOENT", "ECONNREFUSED"].includes(error.code ?? "") ? setTimeout(() => attempt(tries - 1), 50) : fail(error),
            );
        };
        attempt(2400);
    });
}

function run(script: string, args: string[], input?: string): CliResult {
    if (!cacheable(args, input)) return served(script, args, input);
    const entry = entryOf(script, args);
    if (existsSync(`${entry}.json`)) return JSON.parse(readFileSync(`${entry}.json`, "utf8"));
    return (claim(entry) ? null : waitFor(entry)) ?? store(entry, served(script, args));
}

export function plan(args: string[]): CliResult {
    return run("tools/plan.ts", args);
}

export function policy(args: string[], input?: string): CliResult {
    return run("tools/policy-check.ts", args, input);
}

export function adoptValues(args: string[]): CliResult {
    return run("tools/adopt-values.ts", args);
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

/** Computes the snapshot stacks' JSON plans not yet computed or claimed, `parallel` at a time. */
export async function prefetchPlans(parallel = 2): Promise<void> {
    const queue = PLAN_SNAPSHOTS.map(({ stack, configDir }) => planJsonArgs(stack, configDir));
    const worker = async () => {
        for (let args = queue.shift(); args; args = queue.shift()) {
            const entry = entryOf("tools/plan.ts", args);
            if (existsSync(`${entry}.json`) || !claim(entry)) continue;
            store(entry, await servedAsync("tools/plan.ts", args));
        }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
}
