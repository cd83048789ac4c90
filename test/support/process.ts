/** Runs a process and collects its output: never rejects on a non-zero exit, the caller judges. */
import { spawn, SpawnOptions } from "node:child_process";

export interface ProcessResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

export function collect(argv: readonly string[], options: SpawnOptions & { input?: string } = {}): Promise<ProcessResult> {
    return new Promise((done, fail) => {
        const { input, ...spawnOptions } = options;
        const child = spawn(argv[0], argv.slice(1), { ...spawnOptions, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", fail);
        child.on("close", (code) => done({ code, stdout, stderr }));
        if (input !== undefined) child.stdin!.end(input);
    });
}
