/**
 * npm run policy -- FILE.json [--json]
 * Evaluates the policy pack's rules against a preview-shaped JSON file, offline.
 * Exit 0: no mandatory rule violated; 1: at least one is; 2: the file can't be used.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { evaluate } from "../policies/lib/evaluate";
import { RULES } from "../policies/rules";
import { exitAfterFlush } from "./exit";
import { PreviewFormatError, resourcesFromPreview } from "./policy/read-preview";

function main(): number {
    const { values: flags, positionals } = parseArgs({ options: { json: { type: "boolean", default: false } }, allowPositionals: true });
    if (positionals.length !== 1) {
        process.stderr.write("usage: npm run policy -- FILE.json [--json]   (FILE may be /dev/stdin or -)\n");
        return 2;
    }
    let resources;
    try {
        // Read stdin by descriptor: opening /dev/stdin fails when stdin is a socket.
        const source = positionals[0] === "/dev/stdin" || positionals[0] === "-" ? 0 : positionals[0];
        resources = resourcesFromPreview(readFileSync(source, "utf8"));
    } catch (error) {
        const reason = error instanceof PreviewFormatError ? error.message : (error as Error).message;
        process.stderr.write(`cannot use ${positionals[0]}: ${reason}\n`);
        return 2;
    }
    // Each violation carries its rule's level for this stack (a rule may be mandatory only for some).
    const violations = evaluate(RULES, resources);
    const mandatory = violations.filter((violation) => violation.enforcementLevel === "mandatory");
    if (flags.json) {
        process.stdout.write(`${JSON.stringify({ passed: mandatory.length === 0, rules: RULES.map((rule) => rule.name), violations }, null, 2)}\n`);
    } else {
        for (const violation of violations) {
            process.stdout.write(`${violation.enforcementLevel} ${violation.policy}: ${violation.urn ?? "(stack)"}\n    ${violation.message}\n`);
        }
        process.stdout.write(
            `${resources.length} resources, ${RULES.length} rules: ${mandatory.length} mandatory violation(s), ${violations.length - mandatory.length} advisory\n`,
        );
    }
    return mandatory.length > 0 ? 1 : 0;
}

exitAfterFlush(main());
