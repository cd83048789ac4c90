/**
 * What a rule is and what it reports. Every rule reads one resource shape, PlanResource
 * (contracts/preview.ts), whichever way the resources arrived: from the CrossGuard engine during a
 * real preview, or from a preview-shaped JSON file offline.
 */
import type { ElementName } from "../../contracts/elements";
import type { AcceptedRiskKind } from "../../contracts/labels";
import { PlanResource } from "../../contracts/preview";

export type EnforcementLevel = "mandatory" | "advisory";

/** How bad a violation is, in @pulumi/policy's words (its `Severity`). */
export type Severity = "low" | "medium" | "high" | "critical";
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/** Where the rules are documented, relative to the repository: one section per rule, anchored by its name. */
export const POLICY_DOCS = "docs/policies.md";

/**
 * A gap in an element's backups that `qalita-dr:elements.<element>.acceptRisk` can accept: no
 * backup at all, or backups less often than the element's criticality allows.
 */
export interface RiskGap {
    readonly element: ElementName;
    readonly gap: "no-backup" | "looser-schedule";
}

/** The accepted risk that covers a violation, as recorded in the stack (policies/lib/accepted-risks.ts). */
export interface AcceptedRiskNote {
    readonly element: ElementName;
    readonly kind: AcceptedRiskKind;
    readonly reason: string;
    /** The object recording it. */
    readonly urn: string;
}

/** What every violation of a rule carries besides its message: how bad, where it is documented, how to fix it. */
export interface RuleMetadata {
    readonly severity: Severity;
    /** Its section of docs/policies.md. */
    readonly url: string;
    readonly remediation: string;
}

export interface Violation extends RuleMetadata {
    readonly policy: string;
    /** The rule's level for this stack (see RuleDefinition.mandatoryWhen); advisory when an accepted risk covers it. */
    readonly enforcementLevel: EnforcementLevel;
    readonly urn?: string;
    readonly message: string;
    /** Present when an accepted risk covers the violation: it is then advisory, and says why. */
    readonly acceptedRisk?: AcceptedRiskNote;
}

/** What a rule finds wrong; evaluate() adds the rule's name, level and metadata. */
export interface Finding {
    readonly urn?: string;
    readonly message: string;
    /** The element gap this finding is, when an accepted risk can cover it (rules with acceptsRisk). */
    readonly risk?: RiskGap;
}

/** Pure rule logic: given every resource of the stack, what is wrong. */
export type StackCheck = (resources: readonly PlanResource[]) => Finding[];

export interface RuleDefinition {
    readonly name: string;
    readonly description: string;
    /** The level of the rule, or, with mandatoryWhen, its level for stacks that have not opted in. */
    readonly enforcementLevel: EnforcementLevel;
    readonly severity: Severity;
    /** How to fix a violation, in general (each message says what to change for that one). */
    readonly remediation: string;
    /**
     * Its findings marked with a RiskGap are reported as advisory, with the reason, when the stack
     * records an accepted risk covering them (in CrossGuard: the policy `<name>-risk-accepted`).
     */
    readonly acceptsRisk?: boolean;
    /** A stack that opts into what the rule checks (e.g. deploys the stack's own alerts) makes it mandatory. */
    readonly mandatoryWhen?: (resources: readonly PlanResource[]) => boolean;
    readonly check: StackCheck;
}

/** The rule's severity, documentation link and remediation. */
export function ruleMetadata(rule: RuleDefinition): RuleMetadata {
    return { severity: rule.severity, url: `${POLICY_DOCS}#${rule.name}`, remediation: rule.remediation };
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
