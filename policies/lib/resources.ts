/**
 * The one resource shape every rule reads, whichever way the resources arrived: from the
 * CrossGuard engine during a real preview, or from a preview-shaped JSON file offline.
 */

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    /** Inputs as planned (blinded secrets read "[secret]"). */
    readonly props: Record<string, any>;
    readonly parent?: string;
}

/** How a secret reads in a preview: `pulumi preview --json` (and our plan) blind the whole property. */
export const BLINDED = "[secret]";

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
