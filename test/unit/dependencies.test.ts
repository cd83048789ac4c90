// The repository's dependency rules (.dependency-cruiser.cjs, which writes the allowed directions
// down): contracts/ at the bottom, config/ on it, components/ on both, the policy pack on
// contracts/ only, no cycle anywhere, without exemption — checked with dependency-cruiser over
// every source file.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

import { PROJECT_DIR } from "../support/plan-cli";

interface Violation {
    readonly type: string;
    readonly from: string;
    readonly to: string;
    readonly rule: { readonly name: string; readonly severity: "error" | "warn" | "info" | "ignore" };
    readonly cycle?: readonly { readonly name: string }[];
}

interface CruiseResult {
    readonly modules: readonly { readonly source: string }[];
    readonly summary: {
        readonly violations: readonly Violation[];
        readonly totalCruised: number;
        readonly ruleSetUsed: { readonly forbidden: readonly { readonly name: string; readonly severity: string; readonly to: Record<string, unknown> }[] };
    };
}

const SOURCES = ["index.ts", "contracts", "config", "components", "policies", "tools", "test", "bench"];

function describeViolation(violation: Violation): string {
    const path = violation.cycle ? [violation.from, ...violation.cycle.map((step) => step.name)].join(" → ") : `${violation.from} → ${violation.to}`;
    return `${violation.rule.severity} ${violation.rule.name}: ${path}`;
}

describe("dependency rules (.dependency-cruiser.cjs)", function () {
    let result: CruiseResult;

    before(function () {
        this.timeout(120_000);
        const run = spawnSync(
            resolve(PROJECT_DIR, "node_modules/.bin/depcruise"),
            ["--config", ".dependency-cruiser.cjs", "--output-type", "json", ...SOURCES],
            {
                cwd: PROJECT_DIR,
                encoding: "utf8",
                maxBuffer: 64 * 1024 * 1024,
            },
        );
        assert.ok(run.stdout, `depcruise wrote nothing (exit ${run.status}): ${run.stderr}`);
        result = JSON.parse(run.stdout) as CruiseResult;
    });

    it("cruises every part of the repository", () => {
        const sources = result.modules.map((module) => module.source);
        for (const part of SOURCES) {
            const prefix = part.endsWith(".ts") ? part : `${part}/`;
            assert.ok(
                sources.some((source) => source === part || source.startsWith(prefix)),
                `no module of ${part} was cruised: check includeOnly in .dependency-cruiser.cjs`,
            );
        }
        assert.ok(sources.includes("policies/index.ts") && sources.includes("contracts/labels.ts"));
    });

    it("no import breaks a rule: one-way layers, no cycle, nothing unresolvable", () => {
        const broken = result.summary.violations.filter((violation) => violation.rule.severity === "error" || violation.rule.severity === "warn");
        assert.deepEqual(broken.map(describeViolation), [], "the allowed directions are written down at the top of .dependency-cruiser.cjs");
    });

    it("exempts nothing: every rule is an error, no cycle is let through, nothing is merely reported", () => {
        const exempt = result.summary.violations.filter((violation) => violation.rule.severity === "info" || violation.rule.severity === "ignore");
        assert.deepEqual(exempt.map(describeViolation), [], "no import may be exempt from the rules");
        const { forbidden } = result.summary.ruleSetUsed;
        assert.deepEqual(
            forbidden.filter((rule) => rule.severity !== "error").map((rule) => rule.name),
            [],
            "a rule below error is an exemption",
        );
        const noCircular = forbidden.find((rule) => rule.name === "no-circular");
        assert.deepEqual(noCircular?.to, { circular: true }, "no-circular holds for every module (no viaOnly/pathNot exemption)");
    });
});
