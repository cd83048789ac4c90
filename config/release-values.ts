/**
 * User values for the QALITA release (`qalita-dr:releaseValues`), merged under the values this
 * stack owns. Owned keys cannot be overridden from there — silently losing a user's setting, or
 * silently turning a backup off, are both worse than an error — and secrets never go there.
 */
import type { Problem } from "../contracts/problem";
import { configKey } from "./problems";

/** Value paths the stack writes; a user value at or below one of them is refused. */
export const OWNED_VALUE_PATHS = ["postgresql.backup", "worker.pvc.enabled", "worker.pvc.storageSize"] as const;

/** Values the stack pins itself (secrets.*): set anywhere else, they would fight the pinned ones. */
export const PINNED_VALUE_PATHS = [
    "backend.secretKey",
    "backend.adminPassword",
    "postgresql.global.postgresql.auth.password",
    "postgresql.global.postgresql.auth.postgresPassword",
    "postgresql.auth.password",
    "postgresql.auth.postgresPassword",
] as const;

/** Secrets of the chart: plain text in `values` would leak into previews (secretReleaseValues takes them). */
export const SECRET_VALUE_PATHS = [
    "worker.token",
    "licenseKey", // also the registry password (templates/registry-secret.yaml)
    "backend.s3.admin_access_key_id",
    "backend.s3.admin_secret_access_key",
    "backend.s3.read_access_key_id",
    "backend.s3.read_secret_access_key",
    "backend.mail.password",
] as const;

function leafPaths(value: unknown, prefix: string[] = []): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix.join(".")];
    const entries = Object.entries(value);
    return entries.length === 0 ? [prefix.join(".")] : entries.flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

const covers = (owned: string, path: string) => path === owned || path.startsWith(`${owned}.`);

export function releaseValuesProblems(user: Record<string, unknown>, area: "releaseValues" | "secretReleaseValues" = "releaseValues"): Problem[] {
    const problems: Problem[] = [];
    for (const path of leafPaths(user)) {
        const key = configKey([area, ...path.split(".")]);
        const owned = OWNED_VALUE_PATHS.find((prefix) => covers(prefix, path));
        if (owned) problems.push({ key, message: `${owned} is set by qalita-dr from the DR spec (elements.*); remove it here and use the elements settings` });
        const pinned = PINNED_VALUE_PATHS.find((prefix) => covers(prefix, path));
        if (pinned)
            problems.push({
                key,
                message: `${pinned} is pinned by qalita-dr; remove it here and use pulumi config set --secret --path secrets.* (see README › Secrets)`,
            });
        else if (area === "releaseValues" && SECRET_VALUE_PATHS.some((prefix) => covers(prefix, path))) {
            problems.push({
                key,
                message: `${path} is a secret: it would show in plain text in previews; move it to pulumi config set --secret --path 'secretReleaseValues.${path}'`,
            });
        }
    }
    return problems;
}

/** The worker store PVC only exists with the worker on: the agents backup needs it. */
export function workerEnabled(user: Record<string, unknown>): boolean {
    const worker = user.worker as { enabled?: unknown } | undefined;
    return worker?.enabled === true;
}
