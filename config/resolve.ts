/**
 * Raw stack config → DrSpec, or one ConfigError listing every problem. Pure: no Pulumi resource
 * can be registered before this returns, so invalid config never half-deploys.
 */
import { ELEMENTS, ElementName } from "./catalog";
import { resolveElement } from "./element";
import { ConfigError, configKey, Problem } from "./problems";
import { RawElement, elementSchema, rawConfigSchema } from "./raw-schema";
import { shapeProblems } from "./shape";
import { DrSpec, ElementSpec } from "./spec";

export function resolveDrSpec(raw: Record<string, unknown>): DrSpec {
    const parsed = rawConfigSchema.safeParse(raw);
    const problems = parsed.success ? [] : shapeProblems(rawConfigSchema, parsed.error.issues);
    const elements = {} as Record<ElementName, ElementSpec>;
    for (const element of ELEMENTS) {
        const resolved = resolveElement(element, wellShapedPart(raw, element, problems));
        elements[element] = resolved.spec;
        problems.push(...resolved.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    }
    if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
    const config = parsed.data;
    return {
        namespace: config.namespace ?? "qalita",
        release: config.release ?? "qalita",
        chartVersion: config.chartVersion ?? "2.11.6",
        manageRelease: config.manageRelease ?? true,
        coldStorage: { bucketPrefix: config.coldStorage?.bucketPrefix ?? "qalita-dr" },
        snapshots: { className: config.snapshots?.className },
        elements,
    };
}

/**
 * The element's config minus every key that already has a shape problem, so that a typo in one
 * key does not hide a broken cron in the next: all mistakes are reported in one run.
 */
function wellShapedPart(raw: Record<string, unknown>, element: ElementName, problems: Problem[]): RawElement {
    const elements = raw.elements as Record<string, unknown> | undefined;
    const value = typeof elements === "object" && elements !== null ? elements[element] : undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    const kept = Object.fromEntries(Object.entries(value).filter(([field]) => !hasProblemAt(problems, configKey(["elements", element, field]))));
    const parsed = elementSchema.safeParse(kept);
    return parsed.success ? parsed.data : {};
}

function hasProblemAt(problems: Problem[], key: string): boolean {
    return problems.some((problem) => problem.key === key || problem.key.startsWith(`${key}.`) || problem.key.startsWith(`${key}[`));
}
