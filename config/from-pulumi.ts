/**
 * Reads the stack's `qalita-dr:` config as one raw object. Uses `allConfig()` rather than
 * `new Config().get(key)` so that keys the program does not know about are seen — and reported
 * as typos — instead of silently ignored.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "./problems";
import { resolveDrSpec } from "./resolve";
import { DrSpec } from "./spec";

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

/** The DR spec of a stack's config; throws a ConfigError listing every problem. */
export function resolveStack(all: Record<string, string> = pulumi.runtime.allConfig(), stack = pulumi.getStack()): DrSpec {
    return resolveDrSpec(readRawConfig(all), { stack, awsRegion: all["aws:region"] });
}
