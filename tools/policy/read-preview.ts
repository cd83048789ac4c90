/**
 * Reads a preview-shaped JSON document — our offline plan or a real `pulumi preview --json` —
 * into the resources the rules check. Anything that is not such a document is a usage error.
 */
import { PlanResource } from "../../contracts/preview";

/** Steps whose resource will not exist after the update. */
const GONE_OPS = new Set(["delete", "discard", "delete-replaced", "remove-pending-replace"]);

export class PreviewFormatError extends Error {}

export function resourcesFromPreview(text: string): PlanResource[] {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (error) {
        throw new PreviewFormatError(`not JSON: ${(error as Error).message}`);
    }
    const steps = (document as { steps?: unknown })?.steps;
    if (!Array.isArray(steps)) throw new PreviewFormatError('no "steps" array: expected the output of `npm run plan -- --json` or `pulumi preview --json`');
    const resources: PlanResource[] = [];
    steps.forEach((step, index) => {
        if (GONE_OPS.has(step?.op)) return;
        const state = step?.newState;
        if (!state || typeof state.type !== "string" || typeof (state.urn ?? step.urn) !== "string") {
            throw new PreviewFormatError(`steps[${index}] has no newState with a type and urn`);
        }
        resources.push({ urn: state.urn ?? step.urn, type: state.type, props: state.inputs ?? {}, parent: state.parent || undefined });
    });
    return resources;
}
