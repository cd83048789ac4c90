/**
 * What every command-line tool of the project shares: where it writes (so the tests can run a
 * tool in-process, test/support/plan-server.ts), its usage errors and their exit codes.
 *
 * Exit codes: 0 done (or `--help`), 1 the tool's own verdict (invalid config, a violated rule, a
 * stale path), 2 misuse (a bad flag, an unreadable file) — the code a script branches on must not
 * mean both "your deployment is unsafe" and "you typed the command wrong".
 */
import { parseArgs, ParseArgsConfig } from "node:util";
import { readFileSync } from "node:fs";
import { exitAfterFlush } from "./exit";

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** All of standard input (read by descriptor: opening /dev/stdin fails when stdin is a socket). */
    stdin(): string;
    /** The terminal's width when stdout is one; undefined when piped. */
    readonly columns?: number;
}

export const processIo: CliIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: () => readFileSync(0, "utf8"),
    get columns() {
        return process.stdout.isTTY ? process.stdout.columns : undefined;
    },
};

export const EXIT_USAGE = 2;

/** A misused command line: printed as one line, then the usage, exit 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with its errors turned into one line that names the flag. */
export function parseFlags<T extends Options>(argv: string[], options: T, allowPositionals = false) {
    try {
        return parseArgs({ args: argv, options, allowPositionals, strict: true });
    } catch (error) {
        throw new UsageError(usageMessage(error as Error & { code?: string }));
    }
}

function usageMessage(error: Error & { code?: string }): string {
    const flag = /'(-[^' ]+)/.exec(error.message)?.[1];
    switch (error.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown flag ${flag ?? error.message}`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            return /argument missing/.test(error.message) ? `${flag} needs a value` : `${flag} takes no value`;
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return `unexpected argument ${/'([^']+)'/.exec(error.message)?.[1] ?? ""}`.trim();
        default:
            return error.message;
    }
}

export type Cli = (argv: string[], io?: CliIo) => Promise<number>;

/**
 * A tool's entry point: `--help` prints the usage (exit 0), a UsageError prints one line and the
 * usage (exit 2), and an unexpected error its stack (exit 2). Run as a process by `runAsProcess`,
 * in-process by the test suite's plan server.
 */
export function defineCli(usage: string, main: (argv: string[], io: CliIo) => Promise<number> | number): Cli {
    return async (argv, io = processIo) => {
        if (argv.includes("--help") || argv.includes("-h")) {
            io.stdout(usage);
            return 0;
        }
        try {
            return await main(argv, io);
        } catch (error) {
            if (error instanceof UsageError) {
                io.stderr(`${error.message}\n\n${usage}`);
                return EXIT_USAGE;
            }
            io.stderr(`${(error as Error)?.stack ?? error}\n`);
            return EXIT_USAGE;
        }
    };
}

/** Runs a tool as a process: its exit code once stdout and stderr are flushed. */
export function runAsProcess(cli: Cli): void {
    void cli(process.argv.slice(2)).then(exitAfterFlush);
}
