/**
 * Finds which backup mechanisms actually exist in a stack, per QALITA element — from the
 * resources themselves, not from the stack's own posture output, so a stack cannot claim a
 * protection it does not deploy.
 */
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { ELEMENT_LABEL, MECHANISM_LABEL } from "../../contracts/labels";
import { labelsOf } from "./resources";
import { PlanResource } from "../../contracts/preview";

export const HELM_RELEASE_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Release"];

export interface FoundMechanism {
    readonly element: ElementName;
    readonly mechanism: string;
    readonly urn: string;
}

export function isQalitaRelease(resource: PlanResource): boolean {
    return HELM_RELEASE_TYPES.includes(resource.type) && /(^|\/)qalita$/.test(String(resource.props?.chart ?? ""));
}

export function findMechanisms(resources: readonly PlanResource[]): FoundMechanism[] {
    const found: FoundMechanism[] = [];
    for (const resource of resources) {
        if (isQalitaRelease(resource) && resource.props.values?.postgresql?.backup?.enabled === true) {
            found.push({ element: "postgresql", mechanism: "pg-dump", urn: resource.urn });
        }
        const labels = labelsOf(resource);
        const element = labels[ELEMENT_LABEL] as ElementName;
        const mechanism = labels[MECHANISM_LABEL];
        if (!mechanism || !ELEMENTS.includes(element) || resource.type.endsWith("Patch")) continue;
        // A schedule that exists but is disabled protects nothing.
        if (resource.props?.spec?.disabled === true || resource.props?.spec?.suspend === true) continue;
        found.push({ element, mechanism, urn: resource.urn });
    }
    return found;
}
