/**
 * Stack config the way the Pulumi CLI assembles it: `Pulumi.yaml` `config:` defaults, then
 * `Pulumi.<stack>.yaml`. Encrypted values cannot be decrypted offline: they become present-but-
 * secret placeholders, which is all a plan needs.
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { BLINDED } from "../../contracts/preview";

export interface StackConfig {
    readonly project: string;
    /** Fully qualified keys (`qalita-dr:namespace`, `aws:region`) → string values, as the engine passes them. */
    readonly values: Record<string, string>;
    readonly secretKeys: string[];
}

export class StackConfigError extends Error {}

export function loadStackConfig(projectDir: string, stack: string, configDir = projectDir): StackConfig {
    const project = parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        const value = declaration && typeof declaration === "object" && "default" in declaration ? (declaration as { default: unknown }).default : undefined;
        if (value !== undefined) values[qualify(project.name, key)] = encode(value);
    }
    const stackFile = join(configDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(stackFile)) throw new StackConfigError(`no stack file ${stackFile}; create it (copy Pulumi.dev.yaml) or pass --stack NAME`);
    let parsed: { config?: Record<string, unknown> } | null;
    try {
        parsed = parse(readFileSync(stackFile, "utf8"));
    } catch (error) {
        throw new StackConfigError(`${stackFile} is not valid YAML: ${(error as Error).message}`);
    }
    for (const [key, value] of Object.entries(parsed?.config ?? {})) {
        const qualified = qualify(project.name, key);
        const { value: plain, secret } = blindSecure(value);
        values[qualified] = encode(plain);
        if (secret) secretKeys.push(qualified);
    }
    return { project: project.name, values, secretKeys };
}

function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces `secure:` values, at any depth (`pulumi config set --secret --path`), by the placeholder. */
function blindSecure(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) return { value: BLINDED, secret: true };
    if (Array.isArray(value)) {
        const items = value.map(blindSecure);
        return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value).map(([key, inner]) => [key, blindSecure(inner)] as const);
        return { value: Object.fromEntries(entries.map(([key, inner]) => [key, inner.value])), secret: entries.some(([, inner]) => inner.secret) };
    }
    return { value, secret: false };
}

/** The engine hands strings over as-is and everything else as JSON. */
function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
