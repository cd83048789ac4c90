/** Adapts a pure rule to CrossGuard's stack validation, for `pulumi preview --policy-pack`. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { EnforcementLevel, RuleDefinition } from "./resources";
import { PlanResource } from "../../contracts/preview";

function toPlanResource(resource: PolicyResource): PlanResource {
    return { urn: resource.urn, type: resource.type, props: resource.props, parent: resource.parent?.urn };
}

function stackPolicy(rule: RuleDefinition, name: string, level: EnforcementLevel, applies: (resources: PlanResource[]) => boolean): StackValidationPolicy {
    return {
        name,
        description: rule.description,
        enforcementLevel: level,
        validateStack: (args, reportViolation) => {
            const resources = args.resources.map(toPlanResource);
            if (!applies(resources)) return;
            for (const violation of rule.check(resources)) reportViolation(violation.message, violation.urn);
        },
    };
}

/**
 * A CrossGuard policy has one enforcement level: a rule that is mandatory only for some stacks
 * (mandatoryWhen) becomes two policies, `<name>` (mandatory, for those stacks) and
 * `<name>-advisory` (for the others), each silent where the other reports.
 */
export function toStackPolicies(rule: RuleDefinition): StackValidationPolicy[] {
    const mandatoryWhen = rule.mandatoryWhen;
    if (!mandatoryWhen) return [stackPolicy(rule, rule.name, rule.enforcementLevel, () => true)];
    return [
        stackPolicy(rule, rule.name, "mandatory", mandatoryWhen),
        stackPolicy(rule, `${rule.name}-advisory`, rule.enforcementLevel, (resources) => !mandatoryWhen(resources)),
    ];
}
