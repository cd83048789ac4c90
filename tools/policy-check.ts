/**
 * npm run policy -- FILE.json [--json]
 * Evaluates the policy pack's rules against a preview-shaped JSON file, offline.
 * Exit 0: no mandatory rule violated; 1: at least one is; 2: the file can't be used.
 */
import { readFileSync } from "node:fs";
import { evaluate } from "../policies/lib/evaluate";
import { ruleMetadata } from "../policies/lib/resources";
import { RULES } from "../policies/rules";
import { CliIo, defineCli, parseFlags, runAsProcess, UsageError } from "./cli";
import { PreviewFormatError, resourcesFromPreview } from "./policy/read-preview";

export const POLICY_USAGE = `usage: npm run policy -- FILE.json [--json]

Evaluates the policy pack's rules against a plan or preview JSON, offline
(npm run plan -- --json, or pulumi preview --json). FILE may be /dev/stdin or -.

  --json        the verdict, every rule and every violation as JSON
  -h, --help    this help

Exit status: 0 no mandatory rule violated, 1 at least one is, 2 misuse or a file that is not a preview.
`;

function main(argv: string[], io: CliIo): number {
    const { values: flags, positionals } = parseFlags(argv, { json: { type: "boolean", default: false } }, true);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "name the plan file (or - for stdin)" : "name one plan file");
    let resources;
    try {
        const text = positionals[0] === "/dev/stdin" || positionals[0] === "-" ? io.stdin() : readFileSync(positionals[0], "utf8");
        resources = resourcesFromPreview(text);
    } catch (error) {
        const reason = error instanceof PreviewFormatError ? error.message : (error as Error).message;
        io.stderr(`cannot use ${positionals[0]}: ${reason}\n`);
        return 2;
    }
    // Each violation carries its rule's level for this stack (a rule may be mandatory only for some).
    const violations = evaluate(RULES, resources);
    const mandatory = violations.filter((violation) => violation.enforcementLevel === "mandatory");
    if (flags.json) {
        // Each rule's level, severity, documentation and remediation; each violation carries its rule's too.
        const ruleDetails = RULES.map((rule) => ({
            name: rule.name,
            description: rule.description,
            enforcementLevel: rule.enforcementLevel,
            ...ruleMetadata(rule),
        }));
        io.stdout(`${JSON.stringify({ passed: mandatory.length === 0, rules: RULES.map((rule) => rule.name), ruleDetails, violations }, null, 2)}\n`);
    } else {
        for (const violation of violations) {
            io.stdout(`${violation.enforcementLevel} ${violation.policy}: ${violation.urn ?? "(stack)"}\n    ${violation.message}\n`);
        }
        io.stdout(
            `${resources.length} resources, ${RULES.length} rules: ${mandatory.length} mandatory violation(s), ${violations.length - mandatory.length} advisory\n`,
        );
    }
    return mandatory.length > 0 ? 1 : 0;
}

export const policyCli = defineCli(POLICY_USAGE, main);

if (require.main === module) runAsProcess(policyCli);
