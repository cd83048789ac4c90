/**
 * What a rule is and what it reports. Every rule reads one resource shape, PlanResource
 * (contracts/preview.ts), whichever way the resources arrived: from the CrossGuard engine during a
 * real preview, or from a preview-shaped JSON file offline.
 */
import { PlanResource } from "../../contracts/preview";

export type EnforcementLevel = "mandatory" | "advisory";

export interface Violation {
    readonly policy: string;
    /** The rule's level for this stack (see RuleDefinition.mandatoryWhen). */
    readonly enforcementLevel: EnforcementLevel;
    readonly urn?: string;
    readonly message: string;
}

/** What a rule finds wrong; evaluate() adds the rule's name and level. */
export type Finding = Omit<Violation, "policy" | "enforcementLevel">;

/** Pure rule logic: given every resource of the stack, what is wrong. */
export type StackCheck = (resources: readonly PlanResource[]) => Finding[];

export interface RuleDefinition {
    readonly name: string;
    readonly description: string;
    /** The level of the rule, or, with mandatoryWhen, its level for stacks that have not opted in. */
    readonly enforcementLevel: EnforcementLevel;
    /** A stack that opts into what the rule checks (e.g. deploys the stack's own alerts) makes it mandatory. */
    readonly mandatoryWhen?: (resources: readonly PlanResource[]) => boolean;
    readonly check: StackCheck;
}

/** The rule's level for this stack. */
export function levelFor(rule: RuleDefinition, resources: readonly PlanResource[]): EnforcementLevel {
    return rule.mandatoryWhen?.(resources) ? "mandatory" : rule.enforcementLevel;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

export function stackUrn(resources: readonly PlanResource[]): string | undefined {
    return resources.find((resource) => resource.type === STACK_TYPE)?.urn;
}

export function labelsOf(resource: PlanResource): Record<string, string> {
    const labels = resource.props?.metadata?.labels;
    return typeof labels === "object" && labels !== null ? labels : {};
}
