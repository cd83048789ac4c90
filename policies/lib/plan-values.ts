/**
 * Reading planned values that may not be known yet. At preview, a value computed by the provider
 * (an ARN, a name derived from one) is unknown: `pulumi preview --json` writes a sentinel string,
 * and CrossGuard's proxy throws when a rule touches it — which would abort the whole rule for the
 * stack. Rules read through `known` instead and decide per resource; like CrossGuard itself, they
 * do not judge what can't be known yet. The sentinel itself is part of the preview format
 * (contracts/preview.ts).
 */

import { UNKNOWN_SENTINEL } from "../../contracts/preview";

export const UNKNOWN = Symbol("unknown");
export type Known<T> = T | typeof UNKNOWN;

/** `read()`'s value, or UNKNOWN if any part of it is unknown. */
export function known<T>(read: () => T): Known<T> {
    try {
        const value = read();
        return containsUnknown(value) ? UNKNOWN : value;
    } catch (error) {
        if (isUnknownValueError(error)) return UNKNOWN;
        throw error;
    }
}

/** `read()`'s value, or UNKNOWN if that value itself is unknown; what it contains is not looked at. */
export function shallow<T>(read: () => T): Known<T> {
    try {
        const value = read();
        return value === UNKNOWN_SENTINEL ? UNKNOWN : value;
    } catch (error) {
        if (isUnknownValueError(error)) return UNKNOWN;
        throw error;
    }
}

/** What an unknown leaf reads as in `knownLeaves`: no IAM pattern, ARN or wildcard matches it. */
export const UNKNOWN_LEAF = "(unknown during preview)";

/**
 * `read()`'s value with each unknown part replaced by UNKNOWN_LEAF — UNKNOWN only if the value as
 * a whole is. A policy document whose key ARN is not known yet is still a document whose actions
 * can be judged.
 */
export function knownLeaves(read: () => unknown): unknown {
    const root = shallow(read);
    if (root === UNKNOWN) return UNKNOWN;
    const leaf = (value: unknown): unknown => (value === UNKNOWN ? UNKNOWN_LEAF : walk(value));
    const walk = (value: unknown): unknown => {
        if (value === UNKNOWN_SENTINEL) return UNKNOWN_LEAF;
        if (Array.isArray(value)) return value.map((_, i) => leaf(shallow(() => value[i])));
        if (typeof value !== "object" || value === null) return value;
        return Object.fromEntries(Object.keys(value).map((key) => [key, leaf(shallow(() => (value as Record<string, unknown>)[key]))]));
    };
    return walk(root);
}

/** @pulumi/policy's UnknownValueError, matched by name: pure rules don't load the policy SDK. */
function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && error.constructor.name === "UnknownValueError";
}

function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN_SENTINEL) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
    return false;
}

/** The name part of a URN (`…::cold-storage-bucket` → `cold-storage-bucket`). */
export function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/**
 * Every value found at `path`, stepping into arrays at any level — so one path reads both the
 * v7 shapes (`rule.x`) and the deprecated V2 list shapes (`rules[].x`). A part that is unknown
 * yields UNKNOWN in its place.
 */
export function valuesAt(value: unknown, path: readonly string[]): unknown[] {
    if (value === UNKNOWN_SENTINEL) return [UNKNOWN];
    if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
    if (path.length === 0) return value === undefined || value === null ? [] : [value];
    if (typeof value !== "object" || value === null) return [];
    const next = shallow(() => (value as Record<string, unknown>)[path[0]]);
    return next === UNKNOWN ? [UNKNOWN] : valuesAt(next, path.slice(1));
}

export type Verdict = "ok" | "unknown" | "missing";

/** ok when some value passes, unknown when none does but one can't be known yet, else missing. */
export function verdict(values: readonly unknown[], passes: (value: unknown) => boolean): Verdict {
    if (values.some((value) => value !== UNKNOWN && passes(value))) return "ok";
    return values.includes(UNKNOWN) ? "unknown" : "missing";
}
