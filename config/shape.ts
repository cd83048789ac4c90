/** Turns schema issues into config problems, with "did you mean" for unknown keys. */
import { z } from "zod";
import { ELEMENTS } from "../contracts/elements";
import type { Problem } from "../contracts/problem";
import { configKey, didYouMean } from "./problems";

type Shape = Record<string, unknown>;

/** Keys allowed at the object a path points to, read from the schema itself. */
function knownKeys(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
    let current: z.ZodType = schema;
    for (const part of path) {
        current = unwrap(current);
        if (current instanceof z.ZodObject) current = (current.shape as Shape)[String(part)] as z.ZodType;
        else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
        else return [];
        if (!current) return [];
    }
    current = unwrap(current);
    return current instanceof z.ZodObject ? Object.keys(current.shape as Shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
    let current = schema;
    while (current instanceof z.ZodOptional || current instanceof z.ZodPipe) {
        current = (current instanceof z.ZodOptional ? current.unwrap() : current.in) as z.ZodType;
    }
    return current;
}

export function shapeProblems(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Problem[] {
    const problems: Problem[] = [];
    for (const issue of issues) {
        const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
        if (issue.code !== "unrecognized_keys") {
            problems.push({ key: configKey(path), message: issue.message });
            continue;
        }
        const known = knownKeys(schema, path);
        const isElementMap = path.length === 1 && path[0] === "elements";
        for (const key of issue.keys) {
            if (key.includes(".")) {
                problems.push({ key: configKey([...path, key]), message: dottedKeyMessage([...path, key]) });
                continue;
            }
            const suggestion = didYouMean(key, known);
            const hint = suggestion
                ? `did you mean "${suggestion}"?`
                : `known ${isElementMap ? "elements" : "keys"}: ${(isElementMap ? ELEMENTS : known).join(", ")}`;
            const what = isElementMap ? `unknown element "${key}"` : `unknown key "${key}"`;
            problems.push({ key: configKey([...path, key]), message: `${what}; ${hint}` });
        }
    }
    return problems;
}

/**
 * `pulumi config set elements.postgresql.schedule …` (without --path) stores one key with dots in
 * its name, which the schema rightly does not know: say how to set the nested value instead.
 */
function dottedKeyMessage(path: ReadonlyArray<string | number>): string {
    const dotted = configKey(path).slice(configKey([]).length);
    return `"${String(path[path.length - 1])}" is one key with dots in its name, not a path; set the nested value with pulumi config set --path '${dotted}' VALUE (and pulumi config rm '${dotted}')`;
}
