/**
 * Accepted risks, recorded in the cluster. `qalita-dr:elements.<element>.acceptRisk` with a
 * `riskReason` lets a plan turn a critical element's backups off, or run them less often than its
 * criticality allows; the policy pack would still refuse what that leaves unprotected, so an
 * accepted risk could never deploy. Each risk the config accepts and the stack really takes
 * becomes one ConfigMap `<release>-dr-accepted-risk-<element>`, labelled with the element and
 * what is accepted, annotated with the reason (contracts/labels.ts): the policy pack reports the
 * violations it covers as advisory with that reason, and `kubectl get cm -l dr.qalita.io/accepted-risk`
 * lists every accepted risk of the cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import { ElementName, MAX_INTERVAL_HOURS } from "../contracts/elements";
import { ACCEPTED_RISK_LABEL, ACCEPTED_RISK_REASON_ANNOTATION, AcceptedRiskKind, drLabels } from "../contracts/labels";
import { acceptedRiskName } from "../contracts/names";
import type { ElementSpec } from "../config/spec";

export interface AcceptedRisk {
    readonly element: ElementName;
    readonly criticality: string;
    readonly kind: AcceptedRiskKind;
    readonly reason: string;
}

/** The risks the config accepts that the stack really takes: an accepted risk with nothing at risk records nothing. */
export function acceptedRisks(elements: readonly ElementSpec[]): AcceptedRisk[] {
    return elements.flatMap((element) => {
        const kind = riskKind(element);
        return element.acceptedRisk && kind ? [{ element: element.element, criticality: element.criticality, kind, reason: element.acceptedRisk }] : [];
    });
}

function riskKind(element: ElementSpec): AcceptedRiskKind | undefined {
    if (!element.enabled) return "element-disabled";
    const limit = MAX_INTERVAL_HOURS[element.criticality];
    return element.schedule && limit !== undefined && element.schedule.intervalHours > limit ? "schedule-looser" : undefined;
}

const WORDS: Record<AcceptedRiskKind, string> = {
    "element-disabled": "no backup of this element",
    "schedule-looser": "backups less often than the criticality allows",
};

/** The ConfigMap recording one accepted risk. */
export function acceptedRiskConfigMap(risk: AcceptedRisk, context: { readonly namespace: string; readonly release: string }) {
    return {
        metadata: {
            name: acceptedRiskName(context.release, risk.element),
            namespace: context.namespace,
            labels: { ...drLabels({ element: risk.element }), [ACCEPTED_RISK_LABEL]: risk.kind },
            annotations: { [ACCEPTED_RISK_REASON_ANNOTATION]: risk.reason },
        },
        data: {
            element: risk.element,
            criticality: risk.criticality,
            accepted: WORDS[risk.kind],
            reason: risk.reason,
            config: `qalita-dr:elements.${risk.element}.acceptRisk`,
        },
    };
}

export interface AcceptedRisksArgs {
    readonly namespace: string;
    readonly release: string;
    readonly risks: readonly AcceptedRisk[];
}

export class AcceptedRisks extends pulumi.ComponentResource {
    constructor(name: string, args: AcceptedRisksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:risk:AcceptedRisks", name, {}, opts);
        for (const risk of args.risks) new ConfigMap(`${name}-${risk.element}`, acceptedRiskConfigMap(risk, args), { parent: this });
        this.registerOutputs({});
    }
}
