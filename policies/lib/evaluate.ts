/** Runs rules over a stack's resources; shared by the CrossGuard adapter and the offline checker. */
import { acceptedRisks, coveringRisk } from "./accepted-risks";
import { levelFor, RuleDefinition, ruleMetadata, Violation } from "./resources";
import { PlanResource } from "../../contracts/preview";

/**
 * Every violation, with its rule's level for this stack and metadata. A finding an accepted risk
 * of the stack covers is advisory, and its message ends with the reason: visible, never silent.
 */
export function evaluate(rules: readonly RuleDefinition[], resources: readonly PlanResource[]): Violation[] {
    const accepted = acceptedRisks(resources);
    return rules.flatMap((rule) => {
        const enforcementLevel = levelFor(rule, resources);
        const metadata = ruleMetadata(rule);
        return rule.check(resources).map(({ risk, ...finding }): Violation => {
            const covering = rule.acceptsRisk && risk ? coveringRisk(accepted, risk) : undefined;
            if (!covering) return { policy: rule.name, enforcementLevel, ...metadata, ...finding };
            return {
                policy: rule.name,
                enforcementLevel: "advisory",
                ...metadata,
                ...finding,
                message: `${finding.message} — risk accepted (qalita-dr:elements.${covering.element}.acceptRisk): ${covering.reason}`,
                acceptedRisk: covering,
            };
        });
    });
}
