/**
 * Kubernetes label and annotation keys of the stack's objects, and the one builder of their
 * labels. The policy pack finds backup mechanisms by these labels, in our offline plan and in a
 * real `pulumi preview` alike; snapshot schedules select PVCs by them; runbooks filter with them
 * (`kubectl get volumesnapshots -l dr.qalita.io/pvc-set=…`). So they are part of the contract.
 */
import type { ElementName, PvcSetName } from "./elements";

/** The QALITA element an object protects, restores or belongs to. */
export const ELEMENT_LABEL = "dr.qalita.io/element";
/** How it protects it: a backup mechanism the policy pack counts. */
export const MECHANISM_LABEL = "dr.qalita.io/mechanism";
/**
 * The PVC set a schedule snapshots; also set on PVCs the stack labels itself, so that two sets of
 * one element never share a selector.
 */
export const PVC_SET_LABEL = "dr.qalita.io/pvc-set";
/** A one-shot action (not a protection): `restore`. */
export const ACTION_LABEL = "dr.qalita.io/action";
/** Annotation of a restored PVC: the VolumeSnapshot it was created from. */
export const RESTORED_FROM_ANNOTATION = "dr.qalita.io/restored-from";
/**
 * An accepted risk (`qalita-dr:elements.<element>.acceptRisk` with its `riskReason`), recorded in
 * the cluster on an object labelled with the element: the label says what is accepted
 * (AcceptedRiskKind), the annotation why. The policy pack reads them: a violation the accepted
 * risk covers is reported as advisory, with the reason — never silently dropped.
 */
export const ACCEPTED_RISK_LABEL = "dr.qalita.io/accepted-risk";
export const ACCEPTED_RISK_REASON_ANNOTATION = "dr.qalita.io/accepted-risk-reason";
/**
 * What the config accepted: the element's backups turned off (`element-disabled`; a critical
 * element needs acceptRisk for it), or a schedule looser than its criticality allows
 * (`schedule-looser`). Turning an element off accepts every gap a looser schedule would leave too.
 */
export const ACCEPTED_RISK_KINDS = ["element-disabled", "schedule-looser"] as const;
export type AcceptedRiskKind = (typeof ACCEPTED_RISK_KINDS)[number];
/** Kubernetes' recommended labels, with the values the stack gives them. */
export const PART_OF_LABEL = "app.kubernetes.io/part-of";
export const PART_OF = "qalita-dr";
export const COMPONENT_LABEL = "app.kubernetes.io/component";

/** `pitr`: PostgreSQL's WAL receiver and base backups (docs/pitr.md); `pitr-offsite`: their copy to cold storage. */
export type Mechanism = "pg-dump" | "volume-snapshot" | "offsite-copy" | "restore-drill" | "pitr" | "pitr-offsite";
/**
 * Mechanisms that verify backups rather than make them: a restore drill proves the backups restore,
 * so it carries the labels (runbooks and dashboards find it by them), but protects nothing.
 */
export const VERIFYING_MECHANISMS: readonly Mechanism[] = ["restore-drill"];
export type DrAction = "restore";

export interface DrLabelParts {
    readonly element?: ElementName;
    readonly mechanism?: Mechanism;
    readonly pvcSet?: PvcSetName;
    readonly action?: DrAction;
    /** `app.kubernetes.io/component`, e.g. the backup writer's Secret. */
    readonly component?: string;
}

export interface DrLabelOptions {
    /**
     * `app.kubernetes.io/part-of: qalita-dr`, on everything the stack owns. @default true.
     * false: labels the stack puts on an object it does not own (a chart's PVC) and the
     * selectors that find it — that object is not part of qalita-dr.
     */
    readonly partOf?: boolean;
}

/**
 * The labels of one object. Keys are set in one fixed order (a preview shows them sorted anyway).
 * `drLabels(element, mechanism)` is short for `drLabels({ element, mechanism })`.
 */
export function drLabels(element: ElementName, mechanism: Mechanism): Record<string, string>;
export function drLabels(parts?: DrLabelParts, options?: DrLabelOptions): Record<string, string>;
export function drLabels(first: ElementName | DrLabelParts = {}, second?: Mechanism | DrLabelOptions): Record<string, string> {
    const parts: DrLabelParts = typeof first === "string" ? { element: first, mechanism: second as Mechanism } : first;
    const options: DrLabelOptions = typeof first === "string" ? {} : ((second as DrLabelOptions | undefined) ?? {});
    const labels: Record<string, string> = {};
    if (parts.element !== undefined) labels[ELEMENT_LABEL] = parts.element;
    if (parts.mechanism !== undefined) labels[MECHANISM_LABEL] = parts.mechanism;
    if (parts.pvcSet !== undefined) labels[PVC_SET_LABEL] = parts.pvcSet;
    if (parts.action !== undefined) labels[ACTION_LABEL] = parts.action;
    if (parts.component !== undefined) labels[COMPONENT_LABEL] = parts.component;
    if (options.partOf ?? true) labels[PART_OF_LABEL] = PART_OF;
    return labels;
}
