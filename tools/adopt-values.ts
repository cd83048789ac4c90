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
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import { exitAfterFlush } from "./exit";
import { configPath, getAt, splitUserValues } from "./adopt/split-values";

function main(): number {
    const { values: flags, positionals } = parseArgs({ allowPositionals: true, options: { get: { type: "string" }, stack: { type: "string" } } });
    const [file] = positionals;
    if (!file || positionals.length > 1) {
        process.stderr.write(
            "usage: npm run adopt-values -- FILE [--stack NAME] | FILE --get PATH   (FILE: helm get values -o yaml of the installed release)\n",
        );
        return 2;
    }
    const values = (parse(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    if (flags.get !== undefined) {
        const value = getAt(values, flags.get.split("."));
        if (value === undefined) {
            process.stderr.write(`${file} has no ${flags.get}\n`);
            return 1;
        }
        process.stdout.write(typeof value === "string" ? value : JSON.stringify(value));
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
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
}

/** Single-quoted for a POSIX shell. */
function quote(text: string): string {
    return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

try {
    exitAfterFlush(main());
} catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    exitAfterFlush(2);
}
