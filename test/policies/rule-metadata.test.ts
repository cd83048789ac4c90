// Issue 13 (4): every rule carries a severity, a link to its documentation and its remediation —
// in the offline report (npm run policy -- --json) and in the CrossGuard pack (@pulumi/policy's
// severity, url, remediationSteps).
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { toStackPolicies } from "../../policies/lib/crossguard";
import { POLICY_DOCS, ruleMetadata, SEVERITIES } from "../../policies/lib/resources";
import { RULES } from "../../policies/rules";

const PROJECT_DIR = resolve(__dirname, "../..");

/** `## name` sections of docs/policies.md, by name: what each says. */
function docSections(): Map<string, string> {
    const text = readFileSync(resolve(PROJECT_DIR, POLICY_DOCS), "utf8");
    const sections = new Map<string, string>();
    for (const part of text.split(/^## /m).slice(1)) {
        const [heading, ...body] = part.split("\n");
        sections.set(heading.trim(), body.join("\n"));
    }
    return sections;
}

describe("policy rule metadata", () => {
    it("every rule has a severity, a remediation and a documentation link to its own section", () => {
        const sections = docSections();
        for (const rule of RULES) {
            const { severity, url, remediation } = ruleMetadata(rule);
            assert.ok(SEVERITIES.includes(severity), `${rule.name}: severity ${severity}`);
            assert.ok(remediation.length >= 40, `${rule.name}: remediation "${remediation}"`);
            assert.equal(url, `docs/policies.md#${rule.name}`);
            // GitHub's anchor of "## name" is the name itself (lowercase, hyphens).
            const section = sections.get(rule.name);
            assert.ok(section, `docs/policies.md has no "## ${rule.name}" section`);
            for (const part of ["**What it checks.**", "**Why.**", "**How to fix.**"]) assert.ok(section.includes(part), `${rule.name}: no ${part}`);
            assert.ok(section.includes(`Severity: ${severity}.`), `${rule.name}: the page gives another severity`);
        }
        assert.deepEqual([...sections.keys()].sort(), RULES.map((rule) => rule.name).sort(), "one section per rule, no other");
    });

    it("the CrossGuard pack passes them to @pulumi/policy (severity, url, remediationSteps)", () => {
        for (const rule of RULES) {
            for (const policy of toStackPolicies(rule)) {
                assert.equal(policy.severity, rule.severity, policy.name);
                assert.equal(policy.url, `docs/policies.md#${rule.name}`, policy.name);
                assert.equal(policy.remediationSteps, rule.remediation, policy.name);
            }
        }
    });
});
