/**
 * The project's command-line tools, run in one long-lived process instead of one process a run:
 * a plan process spends most of its ~1.5 s loading the Pulumi SDK and providers, and the suite
 * runs a few dozen. Each request gets the tool's code fresh (every project module is reloaded,
 * node_modules stay loaded) and a fresh Pulumi mock runtime (runProgram sets mocks and config),
 * so a run sees nothing of the one before; a test compares a served plan with a real process's.
 *
 * Protocol: one connection a run on the Unix socket given as argv[2]; the request is one line of
 * JSON `{ script, args, input? }`, the reply `{ status, stdout, stderr }`. Runs one at a time (the
 * Pulumi runtime is process-wide). Exits when its parent closes its stdin.
 */
import { createServer, Socket } from "node:net";
import { join, resolve } from "node:path";
import type { Cli, CliIo } from "../../tools/cli";
import "./no-source-positions";

const PROJECT_DIR = resolve(__dirname, "../..");

/** The tools the server runs, by script path, and the name each exports its entry point under. */
const ENTRY_POINTS: Record<string, string> = {
    "tools/plan.ts": "planCli",
    "tools/policy-check.ts": "policyCli",
    "tools/adopt-values.ts": "adoptValuesCli",
};

export interface ServedRun {
    script: string;
    args: string[];
    input?: string;
}

function freshProjectModules(): void {
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(`${PROJECT_DIR}/`) && !file.includes("/node_modules/") && file !== __filename) delete require.cache[file];
    }
}

type Write = typeof process.stdout.write;

/** What the run writes around its io (the Pulumi runtime's own warnings go to the console). */
function captureConsole(into: { stdout: string; stderr: string }): () => void {
    const streams = [
        [process.stdout, "stdout"],
        [process.stderr, "stderr"],
    ] as const;
    const originals = streams.map(([stream]) => stream.write);
    for (const [stream, key] of streams) {
        stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
            into[key] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
            const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
            callback?.();
            return true;
        }) as Write;
    }
    return () => streams.forEach(([stream], index) => (stream.write = originals[index]));
}

async function serve(request: ServedRun): Promise<{ status: number; stdout: string; stderr: string }> {
    const entry = ENTRY_POINTS[request.script];
    if (!entry) return { status: -1, stdout: "", stderr: `the plan server does not run ${request.script}` };
    freshProjectModules();
    const result = { status: -1, stdout: "", stderr: "" };
    const io: CliIo = {
        stdout: (text) => void (result.stdout += text),
        stderr: (text) => void (result.stderr += text),
        stdin: () => request.input ?? "",
    };
    const restore = captureConsole(result);
    current = result;
    try {
        // A plain require, not import(): the module was just dropped from require's cache.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const cli = (require(join(PROJECT_DIR, request.script)) as Record<string, Cli>)[entry];
        const status = await cli(request.args, io);
        if (result.status === -1) result.status = status;
    } catch (error) {
        result.stderr += `${(error as Error)?.stack ?? error}\n`;
        result.status = 2;
    } finally {
        restore();
        current = undefined;
    }
    return result;
}

let queue: Promise<void> = Promise.resolve();
/** The run in progress: an error no one awaited during it is its error, reported with it. */
let current: { stderr: string; status: number } | undefined;

// A program that fails leaves rejections nobody awaits; in a process they end the run (exit 2
// with the error), here they end the request the same way instead of killing the server.
for (const event of ["unhandledRejection", "uncaughtException"] as const) {
    process.on(event, (error: unknown) => {
        if (!current) return void process.stderr.write(`plan server: ${(error as Error)?.stack ?? error}\n`);
        current.stderr += `${(error as Error)?.stack ?? error}\n`;
        current.status = 2;
    });
}

function onConnection(socket: Socket): void {
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
        received += chunk;
        const end = received.indexOf("\n");
        if (end < 0) return;
        const request = JSON.parse(received.slice(0, end)) as ServedRun;
        queue = queue.then(async () => {
            socket.end(JSON.stringify(await serve(request)));
        });
    });
    socket.on("error", () => undefined);
}

const socketPath = process.argv[2];
createServer(onConnection).listen(socketPath);
process.stdin.resume();
process.stdin.on("close", () => process.exit(0));
