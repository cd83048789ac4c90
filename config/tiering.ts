/**
 * Checks an element's cold-storage tiering by building the lifecycle rule the bucket will get and
 * running the same validator the policy pack uses — so S3's rejections (and the costly mistakes)
 * surface at plan time, keyed to the stack config rather than to a rule path.
 */
import { elementPrefix } from "./catalog";
import { deriveLifecycleRule } from "./cold-storage/lifecycle-derive";
import { ElementName } from "../contracts/elements";
import { configKey, Problem } from "./problems";
import { TierStep } from "./raw-schema";
import { ElementSpec } from "./spec";
import { validateLifecycle } from "../contracts/s3-lifecycle/lifecycle-validate";

export function tieringProblems(element: ElementName, spec: Pick<ElementSpec, "criticality" | "retentionDays">, tiering: readonly TierStep[]): Problem[] {
    if (spec.criticality === "none" || spec.retentionDays === undefined) return [];
    const derived = deriveLifecycleRule({ element, prefix: elementPrefix(element), criticality: spec.criticality, retentionDays: spec.retentionDays });
    // The user's steps exactly as written (the default waterfall is trimmed to fit; theirs is not).
    const rule = { ...derived, transitions: tiering.map((step) => ({ days: step.afterDays, storageClass: step.storageClass })), noncurrentVersionTransitions: [] };
    const seen = new Set<string>();
    return validateLifecycle([rule]).flatMap((problem) => {
        const key = configKeyFor(element, problem.key);
        // The validator speaks the bucket's field names; the user edits the config's.
        const field = key.endsWith("afterDays") ? "afterDays" : key.endsWith("retentionDays") ? "retentionDays" : "days";
        const message = problem.message.replace(/write days:/g, `write ${field}:`);
        if (seen.has(key + message)) return [];
        seen.add(key + message);
        return [{ key, message }];
    });
}

/** `rules[0].transitions[1].days` → `…tiering[1].afterDays`; `…expiration…` → `…retentionDays`. */
function configKeyFor(element: ElementName, rulePath: string): string {
    const transition = /transitions\[(\d+)\]/.exec(rulePath);
    if (transition) return configKey(["elements", element, "tiering", Number(transition[1]), ...(/\.days$/.test(rulePath) ? ["afterDays"] : /storageClass/.test(rulePath) ? ["storageClass"] : [])]);
    if (/expiration/i.test(rulePath)) return configKey(["elements", element, "retentionDays"]);
    return configKey(["elements", element, "tiering"]);
}
