/**
 * Reads IAM and bucket policy documents as a plan holds them (a JSON string, or an object when a
 * program passed one) and answers what rules ask of them: which actions a statement allows,
 * whether two action patterns can name the same action.
 */
import { Known, UNKNOWN, knownLeaves } from "./plan-values";
import { BLINDED } from "../../contracts/preview";

export interface Statement {
    readonly effect: string;
    /** `Action`, or `NotAction` when `inverted`. */
    readonly actions: readonly string[];
    readonly inverted: boolean;
    readonly principal: unknown;
    readonly resources: readonly string[];
    readonly condition: Record<string, Record<string, unknown>>;
}

export type ReadDocument = { readonly statements: readonly Statement[] } | { readonly unreadable: string };

/** UNKNOWN when the document can't be known at preview. */
export function readPolicyDocument(read: () => unknown): Known<ReadDocument> {
    // An object document may hold a value only known after apply (a key ARN): its statements still count.
    const value = knownLeaves(read);
    if (value === UNKNOWN) return UNKNOWN;
    if (value === BLINDED) return { unreadable: "the document is secret (blinded in the plan), so nobody reviewing it can read it" };
    let document: unknown = value;
    if (typeof value === "string") {
        try {
            document = JSON.parse(value);
        } catch {
            return { unreadable: "the document is not JSON" };
        }
    }
    const raw = (document as { Statement?: unknown } | undefined)?.Statement;
    if (raw === undefined) return { unreadable: "the document has no Statement" };
    const statements = (Array.isArray(raw) ? raw : [raw]).map((statement: Record<string, unknown>) => ({
        effect: String(statement?.Effect),
        actions: list(statement?.Action ?? statement?.NotAction),
        inverted: statement?.Action === undefined && statement?.NotAction !== undefined,
        principal: statement?.Principal,
        resources: list(statement?.Resource),
        condition: (typeof statement?.Condition === "object" && statement.Condition !== null ? statement.Condition : {}) as Statement["condition"],
    }));
    return { statements };
}

function list(value: unknown): string[] {
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/**
 * Whether some action matches both IAM patterns (`*` any run of characters, `?` one; action
 * names compare case-insensitively): `s3:Del*` and `s3:*Object` both meet `s3:DeleteObject`.
 */
export function actionsOverlap(a: string, b: string): boolean {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const seen = new Set<string>();
    const visit = (i: number, j: number): boolean => {
        if (i === x.length && j === y.length) return true;
        const key = `${i},${j}`;
        if (seen.has(key)) return false;
        seen.add(key);
        // A star may stand for nothing…
        if (x[i] === "*" && visit(i + 1, j)) return true;
        if (y[j] === "*" && visit(i, j + 1)) return true;
        if (i === x.length || j === y.length) return false;
        // …or for one more character, matched by the other side's character or wildcard.
        if (x[i] === "*" && y[j] === "*") return false;
        if (x[i] === "*") return visit(i, j + 1);
        if (y[j] === "*") return visit(i + 1, j);
        return (x[i] === y[j] || x[i] === "?" || y[j] === "?") && visit(i + 1, j + 1);
    };
    return visit(0, 0);
}

/** Whether the condition tests `aws:SecureTransport` is false (Bool / BoolIfExists). */
export function requiresNoTls(statement: Statement): boolean {
    return Object.entries(statement.condition).some(
        ([operator, tests]) =>
            /^bool(ifexists)?$/i.test(operator) &&
            typeof tests === "object" &&
            tests !== null &&
            Object.entries(tests).some(([key, value]) => key.toLowerCase() === "aws:securetransport" && list(value).every((v) => v.toLowerCase() === "false")),
    );
}

/** `*`, `{ AWS: "*" }` or a list holding `*`: everyone. */
export function isEveryone(principal: unknown): boolean {
    if (principal === "*") return true;
    const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
    return list(aws).includes("*");
}
