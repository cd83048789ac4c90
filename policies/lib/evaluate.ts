/** Runs rules over a stack's resources; shared by the CrossGuard adapter and the offline checker. */
import { levelFor, RuleDefinition, Violation } from "./resources";
import { PlanResource } from "../../contracts/preview";

export function evaluate(rules: readonly RuleDefinition[], resources: readonly PlanResource[]): Violation[] {
    return rules.flatMap((rule) => {
        const enforcementLevel = levelFor(rule, resources);
        return rule.check(resources).map((violation) => ({ policy: rule.name, enforcementLevel, ...violation }));
    });
}
