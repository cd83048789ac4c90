/** Adapts a pure rule to CrossGuard's stack validation, for `pulumi preview --policy-pack`. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { RuleDefinition } from "./resources";
import { PlanResource } from "../../contracts/preview";

function toPlanResource(resource: PolicyResource): PlanResource {
    return { urn: resource.urn, type: resource.type, props: resource.props, parent: resource.parent?.urn };
}

export function toStackPolicy(rule: RuleDefinition): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateStack: (args, reportViolation) => {
            for (const violation of rule.check(args.resources.map(toPlanResource))) reportViolation(violation.message, violation.urn);
        },
    };
}
