/**
 * Accepted risks as a plan records them: an object labelled with the element
 * (`dr.qalita.io/element`) and what is accepted (`dr.qalita.io/accepted-risk`), annotated with the
 * reason (`dr.qalita.io/accepted-risk-reason`) — the ConfigMaps the stack creates from
 * `qalita-dr:elements.<element>.acceptRisk` (components/accepted-risks.ts). A record without a
 * reason accepts nothing: an accepted risk is always shown with why.
 */
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { ACCEPTED_RISK_KINDS, ACCEPTED_RISK_LABEL, ACCEPTED_RISK_REASON_ANNOTATION, AcceptedRiskKind, ELEMENT_LABEL } from "../../contracts/labels";
import { PlanResource } from "../../contracts/preview";
import { known, UNKNOWN } from "./plan-values";
import { AcceptedRiskNote, RiskGap } from "./resources";

/** What each kind of accepted risk covers: turning an element off leaves every gap a looser schedule would. */
const COVERS: Readonly<Record<AcceptedRiskKind, readonly RiskGap["gap"][]>> = {
    "element-disabled": ["no-backup", "looser-schedule"],
    "schedule-looser": ["looser-schedule"],
};

export function acceptedRisks(resources: readonly PlanResource[]): AcceptedRiskNote[] {
    return resources.flatMap((resource): AcceptedRiskNote[] => {
        if (resource.type.endsWith("Patch")) return [];
        const metadata = known(() => resource.props?.metadata);
        if (metadata === UNKNOWN || typeof metadata !== "object" || metadata === null) return [];
        const labels = (metadata as { labels?: Record<string, unknown> }).labels ?? {};
        const annotations = (metadata as { annotations?: Record<string, unknown> }).annotations ?? {};
        const element = labels[ELEMENT_LABEL] as ElementName;
        const kind = labels[ACCEPTED_RISK_LABEL] as AcceptedRiskKind;
        const reason = annotations[ACCEPTED_RISK_REASON_ANNOTATION];
        if (!ELEMENTS.includes(element) || !ACCEPTED_RISK_KINDS.includes(kind) || typeof reason !== "string" || reason.trim() === "") return [];
        return [{ element, kind, reason: reason.trim(), urn: resource.urn }];
    });
}

/** The accepted risk covering a gap, if the stack records one. */
export function coveringRisk(risks: readonly AcceptedRiskNote[], gap: RiskGap): AcceptedRiskNote | undefined {
    return risks.find((risk) => risk.element === gap.element && COVERS[risk.kind].includes(gap.gap));
}
