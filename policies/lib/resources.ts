/**
 * What a rule is and what it reports. Every rule reads one resource shape, PlanResource
 * (contracts/preview.ts), whichever way the resources arrived: from the CrossGuard engine during a
 * real preview, or from a preview-shaped JSON file offline.
 */
import { PlanResource } from "../../contracts/preview";

export interface Violation {
    readonly policy: string;
    readonly urn?: string;
    readonly message: string;
}

/** Pure rule logic: given every resource of the stack, what is wrong. */
export type StackCheck = (resources: readonly PlanResource[]) => Omit<Violation, "policy">[];

export interface RuleDefinition {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: "mandatory" | "advisory";
    readonly check: StackCheck;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

export function stackUrn(resources: readonly PlanResource[]): string | undefined {
    return resources.find((resource) => resource.type === STACK_TYPE)?.urn;
}

export function labelsOf(resource: PlanResource): Record<string, string> {
    const labels = resource.props?.metadata?.labels;
    return typeof labels === "object" && labels !== null ? labels : {};
}
