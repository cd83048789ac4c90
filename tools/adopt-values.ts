/**
 * npm run adopt-values -- FILE [--stack NAME]      what to put in the stack's config
 * npm run adopt-values -- FILE --get PATH          one value of FILE, for the commands it prints
 *
 * FILE is `helm -n <namespace> get values <release> -o yaml` of an installed QALITA. Prints the
 * `qalita-dr:releaseValues` block for Pulumi.<stack>.yaml, then the `pulumi config set --secret`
 * commands that store each sensitive value — each reads its value from FILE when run, so no secret
 * is ever printed (docs/adopt.md).
 */
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { CliIo, defineCli, parseFlags, runAsProcess, UsageError } from "./cli";
import { configPath, getAt, splitUserValues } from "./adopt/split-values";

export const ADOPT_VALUES_USAGE = `usage: npm run adopt-values -- FILE [--stack NAME]
       npm run adopt-values -- FILE --get PATH

FILE is helm -n NAMESPACE get values RELEASE -o yaml of the installed QALITA (docs/adopt.md).
Prints the qalita-dr:releaseValues block for Pulumi.NAME.yaml and the pulumi config set --secret
commands that store each sensitive value, reading it from FILE; --get prints one value of FILE.
`;

function main(argv: string[], io: CliIo): number {
    const { values: flags, positionals } = parseFlags(argv, { get: { type: "string" }, stack: { type: "string" } }, true);
    const [file] = positionals;
    if (!file) throw new UsageError("name the file helm get values -o yaml wrote");
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
    const values = readValues(file);
    if (flags.get !== undefined) {
        const value = getAt(values, flags.get.split("."));
        if (value === undefined) {
            io.stderr(`${file} has no ${flags.get}\n`);
            return 1;
        }
        io.stdout(typeof value === "string" ? value : JSON.stringify(value));
        return 0;
    }
    const split = splitUserValues(values);
    const stack = flags.stack ? ` --stack ${quote(flags.stack)}` : "";
    const get = (path: readonly string[]) => `"$(npm run -s adopt-values -- ${quote(file)} --get ${quote(path.join("."))})"`;
    const out: string[] = ["# 1. Add to Pulumi.<stack>.yaml, under config: (the readable values of the release)"];
    out.push(stringify({ "qalita-dr:releaseValues": split.public }).trimEnd());
    for (const [key, value] of Object.entries(split.config))
        out.push(stringify({ [`qalita-dr:${key.split(".")[0]}`]: { [key.split(".")[1]]: value } }).trimEnd());
    if (split.secret.length > 0) {
        out.push("", "# 2. Store the sensitive values as Pulumi secrets (each read from the file, never printed):");
        for (const path of split.secret) {
            out.push(`pulumi config set${stack} --secret --path ${quote(`secretReleaseValues.${configPath(path)}`)} ${get(path)}`);
        }
        if (split.secret.some((path) => path.join(".") === "worker.token")) {
            out.push(`# the worker's token, for the Secret its env var reads (or name your own Secret in qalita-dr:agents.tokenSecret):`);
            out.push(`pulumi config set${stack} --secret --path 'secrets.workerToken' ${get(["worker", "token"])}`);
        }
    }
    if (split.dropped.length > 0) {
        out.push("", "# Not carried over as values:");
        for (const { path, why } of split.dropped) out.push(`#   ${path.join(".")}: ${why}`);
    }
    io.stdout(`${out.join("\n")}\n`);
    return 0;
}

function readValues(file: string): Record<string, unknown> {
    try {
        return (parse(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message.split("\n")[0]}`);
    }
}

/** Single-quoted for a POSIX shell. */
function quote(text: string): string {
    return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export const adoptValuesCli = defineCli(ADOPT_VALUES_USAGE, main);

if (require.main === module) runAsProcess(adoptValuesCli);
