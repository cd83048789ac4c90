/**
 * Config problems are collected, never thrown one at a time: a user fixing a stack file wants
 * every mistake in one run, each with the exact key to edit — the full config key as `pulumi
 * config set --path` names it, e.g. `qalita-dr:elements.s3.schedule` — and what to write instead.
 * A problem is contracts/problem.ts's, the one the lifecycle validator reports too.
 */
import { closest, distance } from "fastest-levenshtein";
import type { Problem } from "../contracts/problem";

export const NAMESPACE = "qalita-dr";

export class ConfigError extends Error {
    constructor(readonly problems: readonly Problem[]) {
        super(formatProblems(problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(problems: readonly Problem[]): string {
    const lines = problems.map((problem) => `  - ${problem.key}: ${problem.message}`);
    return `Invalid ${NAMESPACE} configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/** `elements.postgresql.schedule` → `qalita-dr:elements.postgresql.schedule`. */
export function configKey(path: ReadonlyArray<string | number>): string {
    const dotted = path
        .map((part) => (typeof part === "number" ? `[${part}]` : part))
        .join(".")
        .replace(/\.\[/g, "[");
    return `${NAMESPACE}:${dotted}`;
}

/** The closest known name, when it is close enough to be a plausible typo. */
export function didYouMean(input: string, known: readonly string[]): string | undefined {
    if (known.length === 0) return undefined;
    const candidate = closest(
        input.toLowerCase(),
        known.map((name) => name.toLowerCase()),
    );
    const match = known.find((name) => name.toLowerCase() === candidate)!;
    return distance(input.toLowerCase(), candidate) <= Math.max(2, Math.floor(input.length / 3)) ? match : undefined;
}
