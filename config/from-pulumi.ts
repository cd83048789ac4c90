/**
 * The one place the stack's config is read from Pulumi. Plain settings: `allConfig()` as one raw
 * object, rather than `new Config().get(key)`, so that keys the program does not know about are
 * seen — and reported as typos — instead of silently ignored. Secrets: read as Pulumi secrets
 * (Outputs), never as plain values, and handed to index.ts beside the DrSpec, which only names them.
 */
import * as pulumi from "@pulumi/pulumi";
import { AGENTS_CRYPT_SECRETS, WORKER_TOKEN_SECRET } from "./agents/schema";
import { NAMESPACE } from "./problems";
import { resolveDrSpec } from "./resolve";
import { DrSpec, PinnedSecret } from "./spec";

export function readRawConfig(all: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) continue;
        raw[fullKey.slice(NAMESPACE.length + 1)] = parseValue(text);
    }
    return raw;
}

/** Pulumi hands every value over as a string; objects, numbers and booleans as JSON. */
function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * The DR spec of a stack's config; throws a ConfigError listing every problem. Without `all`, the
 * engine's config and which of its keys are secrets; with it, `secretKeys` says which are (a
 * secret that must not be plain text is only checked when they are known).
 */
export function resolveStack(all?: Record<string, string>, stack = pulumi.getStack(), secretKeys?: readonly string[]): DrSpec {
    const config = all ?? pulumi.runtime.allConfig();
    const secrets = secretKeys ?? (all === undefined ? Object.keys(config).filter(isConfigSecret) : undefined);
    return resolveDrSpec(readRawConfig(config), { stack, awsRegion: config["aws:region"], secretKeys: secrets });
}

/**
 * Whether the engine holds a key as a secret. Pulumi's own check (what `Config.get` warns with),
 * exported by the SDK's runtime but typed @internal.
 */
function isConfigSecret(key: string): boolean {
    return (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(key);
}

/** The secret config a resolved spec uses, each value a Pulumi secret. */
export interface StackSecrets {
    /** `secrets.<key>` of each pinned release secret the spec adopts (DrSpec.adoptedSecrets). */
    readonly adopted: Readonly<Partial<Record<PinnedSecret, pulumi.Output<string>>>>;
    /** `secrets.workerToken`, when the stack creates the worker's token Secret. */
    readonly workerToken?: pulumi.Output<string>;
    /** `secrets.agentsCrypt*`, when the spec adopts the agents' crypt key (AgentsSpec.cryptAdopted). */
    readonly agentsCrypt?: { readonly password: pulumi.Output<string>; readonly salt: pulumi.Output<string> };
    /** `secretReleaseValues`: the user's own sensitive values for the QALITA release. */
    readonly secretReleaseValues?: pulumi.Output<Record<string, unknown>>;
    /** `monitoring.heartbeatUrl`, when configured (MonitoringSpec.heartbeat). */
    readonly heartbeatUrl?: pulumi.Output<string>;
}

/**
 * Reads `secrets` and `secretReleaseValues` as the resolved spec needs them. The resolver has
 * checked that every value the spec relies on is set: a missing one here is a bug, not a config
 * mistake.
 */
export function readStackSecrets(spec: DrSpec, config: pulumi.Config = new pulumi.Config()): StackSecrets {
    const secrets = config.getSecretObject<Record<string, string>>("secrets");
    const secret = (key: string): pulumi.Output<string> => {
        if (!secrets) throw new Error(`qalita-dr:secrets.${key} is not set, yet the resolved spec uses it`);
        return secrets.apply((values) => values[key]);
    };
    const [cryptPassword, cryptSalt] = AGENTS_CRYPT_SECRETS;
    return {
        adopted: Object.fromEntries(spec.adoptedSecrets.map((key) => [key, secret(key)])),
        workerToken: spec.agents.worker?.token.kind === "stack" ? secret(WORKER_TOKEN_SECRET) : undefined,
        agentsCrypt: spec.agents.cryptAdopted ? { password: secret(cryptPassword), salt: secret(cryptSalt) } : undefined,
        secretReleaseValues: config.getSecretObject<Record<string, unknown>>("secretReleaseValues"),
        heartbeatUrl: spec.monitoring.heartbeat
            ? config.requireSecretObject<{ heartbeatUrl: string }>("monitoring").apply((monitoring) => monitoring.heartbeatUrl)
            : undefined,
    };
}
