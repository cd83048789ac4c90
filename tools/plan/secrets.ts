/** Secret blinding: a plan or manifest never shows a secret value, wherever it is nested. */
import { BLINDED } from "../../policies/lib/resources";

export { BLINDED };

/** How the Pulumi runtime marks a secret value in serialized properties. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

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
