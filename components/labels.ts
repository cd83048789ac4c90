/**
 * Labels every DR object carries. The policy pack finds backup mechanisms by these labels, in our
 * offline plan and in a real `pulumi preview` alike, so they are part of the contract.
 */
import { ElementName } from "../config/catalog";

export const ELEMENT_LABEL = "dr.qalita.io/element";
export const MECHANISM_LABEL = "dr.qalita.io/mechanism";

export type Mechanism = "pg-dump" | "volume-snapshot" | "offsite-copy";

export function drLabels(element: ElementName, mechanism: Mechanism): Record<string, string> {
    return {
        [ELEMENT_LABEL]: element,
        [MECHANISM_LABEL]: mechanism,
        "app.kubernetes.io/part-of": "qalita-dr",
    };
}
