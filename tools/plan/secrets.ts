/** Secret blinding: a plan or manifest never shows a secret value, wherever it is nested. */
import { BLINDED, SECRET_SIG_KEY, SECRET_SIG_VALUE } from "../../contracts/preview";

export function isSecretEnvelope(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

/**
 * Blinds like a real `pulumi preview --json`: a secret anywhere inside a top-level property makes
 * the whole property secret.
 */
export function blindProperties(properties: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, containsSecret(value) ? BLINDED : value]));
}

export function containsSecret(value: unknown): boolean {
    if (isSecretEnvelope(value)) return true;
    if (Array.isArray(value)) return value.some(containsSecret);
    if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
    return false;
}
