/** Adapts a pure rule to CrossGuard's stack validation, for `pulumi preview --policy-pack`. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { evaluate } from "./evaluate";
import { EnforcementLevel, RuleDefinition, ruleMetadata, Violation } from "./resources";
import { PlanResource } from "../../contracts/preview";

function toPlanResource(resource: PolicyResource): PlanResource {
    return { urn: resource.urn, type: resource.type, props: resource.props, parent: resource.parent?.urn };
}

function stackPolicy(rule: RuleDefinition, name: string, level: EnforcementLevel, reports: (violation: Violation) => boolean): StackValidationPolicy {
    const { severity, url, remediation } = ruleMetadata(rule);
    return {
        name,
        description: rule.description,
        enforcementLevel: level,
        severity,
        remediationSteps: remediation,
        url,
        validateStack: (args, reportViolation) => {
            for (const violation of evaluate([rule], args.resources.map(toPlanResource))) {
                if (reports(violation)) reportViolation(violation.message, violation.urn);
            }
        },
    };
}

/**
 * A CrossGuard policy has one enforcement level, so a rule whose violations may have two becomes
 * several policies, each reporting its share:
 *  - a rule mandatory only for some stacks (mandatoryWhen): `<name>` (mandatory, for those stacks)
 *    and `<name>-advisory` (for the others);
 *  - a rule whose findings an accepted risk can cover (acceptsRisk): `<name>-risk-accepted`
 *    (advisory) reports those, each message ending with the risk's reason.
 */
export function toStackPolicies(rule: RuleDefinition): StackValidationPolicy[] {
    const accepted = (violation: Violation) => violation.acceptedRisk !== undefined;
    const policies = rule.mandatoryWhen
        ? [
              stackPolicy(rule, rule.name, "mandatory", (violation) => !accepted(violation) && violation.enforcementLevel === "mandatory"),
              stackPolicy(
                  rule,
                  `${rule.name}-advisory`,
                  rule.enforcementLevel,
                  (violation) => !accepted(violation) && violation.enforcementLevel !== "mandatory",
              ),
          ]
        : [stackPolicy(rule, rule.name, rule.enforcementLevel, (violation) => !accepted(violation))];
    return rule.acceptsRisk ? [...policies, stackPolicy(rule, `${rule.name}-risk-accepted`, "advisory", accepted)] : policies;
}
