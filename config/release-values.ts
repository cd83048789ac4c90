/**
 * User values for the QALITA release (`qalita-dr:releaseValues`), merged under the values this
 * stack owns. Owned keys cannot be overridden from there — silently losing a user's setting, or
 * silently turning a backup off, are both worse than an error — and secrets never go there.
 */
import { configKey, Problem } from "./problems";

/** Value paths the stack writes; a user value at or below one of them is refused. */
export const OWNED_VALUE_PATHS = [
    "postgresql.backup",
    "worker.pvc.enabled",
    "worker.pvc.storageSize",
] as const;

/** Pinned through the secret values file: plain text in `values` would leak into previews. */
export const SECRET_VALUE_PATHS = [
    "backend.secretKey",
    "backend.adminPassword",
    "postgresql.global.postgresql.auth.password",
    "postgresql.global.postgresql.auth.postgresPassword",
    "postgresql.auth.password",
    "postgresql.auth.postgresPassword",
    "worker.token",
] as const;

function leafPaths(value: unknown, prefix: string[] = []): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix.join(".")];
    const entries = Object.entries(value);
    return entries.length === 0 ? [prefix.join(".")] : entries.flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

const covers = (owned: string, path: string) => path === owned || path.startsWith(`${owned}.`);

export function releaseValuesProblems(user: Record<string, unknown>): Problem[] {
    const problems: Problem[] = [];
    for (const path of leafPaths(user)) {
        const key = configKey(["releaseValues", ...path.split(".")]);
        const owned = OWNED_VALUE_PATHS.find((prefix) => covers(prefix, path));
        if (owned) problems.push({ key, message: `${owned} is set by qalita-dr from the DR spec (elements.*); remove it here and use the elements settings` });
        const secret = SECRET_VALUE_PATHS.find((prefix) => covers(prefix, path));
        if (secret) problems.push({ key, message: `${secret} is a secret: it would show in plain text in previews; remove it and use pulumi config set --secret --path secrets.* (see README › Secrets)` });
    }
    return problems;
}

/** The worker store PVC only exists with the worker on: the agents backup needs it. */
export function workerEnabled(user: Record<string, unknown>): boolean {
    const worker = user.worker as { enabled?: unknown } | undefined;
    return worker?.enabled === true;
}
