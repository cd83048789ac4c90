/**
 * Checks an element's cold-storage tiering by building the lifecycle rule the bucket will get and
 * running the same validator the policy pack uses — so S3's rejections (and the costly mistakes)
 * surface at plan time, keyed to the stack config rather than to a rule path, and telling the user
 * which config field to write (the validator names the stack config's fields, not the rule's).
 */
import type { Problem } from "../contracts/problem";
import { ElementName } from "../contracts/elements";
import { FieldName, validateLifecycle } from "../contracts/s3-lifecycle/lifecycle-validate";
import { deriveLifecycleRule } from "./cold-storage/lifecycle-derive";
import { configKey } from "./problems";
import { ElementSpec, TierStep } from "./spec";

export function tieringProblems(
    element: ElementName,
    spec: Pick<ElementSpec, "criticality" | "retentionDays" | "coldStoragePrefix">,
    tiering: readonly TierStep[],
): Problem[] {
    if (spec.criticality === "none" || spec.retentionDays === undefined || spec.coldStoragePrefix === undefined) return [];
    const derived = deriveLifecycleRule({ element, prefix: spec.coldStoragePrefix, criticality: spec.criticality, retentionDays: spec.retentionDays });
    // The user's steps exactly as written (the default waterfall is trimmed to fit; theirs is not).
    const rule = {
        ...derived,
        transitions: tiering.map((step) => ({ days: step.afterDays, storageClass: step.storageClass })),
        noncurrentVersionTransitions: [],
    };
    // A rule's `days` is the config's afterDays (a transition) or retentionDays (the expiration).
    const fieldName: FieldName = (ruleKey, field) => {
        if (field !== "days") return field;
        const key = configKeyFor(element, ruleKey);
        return key.endsWith("afterDays") ? "afterDays" : key.endsWith("retentionDays") ? "retentionDays" : "days";
    };
    const seen = new Set<string>();
    return validateLifecycle([rule], { fieldName }).flatMap((problem) => {
        const key = configKeyFor(element, problem.key);
        if (seen.has(key + problem.message)) return [];
        seen.add(key + problem.message);
        return [{ key, message: problem.message }];
    });
}

/** `rules[0].transitions[1].days` → `…tiering[1].afterDays`; `…expiration…` → `…retentionDays`. */
function configKeyFor(element: ElementName, rulePath: string): string {
    const transition = /transitions\[(\d+)\]/.exec(rulePath);
    if (transition)
        return configKey([
            "elements",
            element,
            "tiering",
            Number(transition[1]),
            ...(/\.days$/.test(rulePath) ? ["afterDays"] : /storageClass/.test(rulePath) ? ["storageClass"] : []),
        ]);
    if (/expiration/i.test(rulePath)) return configKey(["elements", element, "retentionDays"]);
    return configKey(["elements", element, "tiering"]);
}
