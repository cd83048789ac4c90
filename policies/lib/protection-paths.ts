/**
 * The protection paths of a stack as the pack sees them: each backup mechanism findMechanisms
 * finds (mechanisms.ts) with the object whose runs make its backups — a CronJob (the QALITA
 * release's dump, an offsite copy) or a SnapshotSchedule — by namespace and name: what a freshness
 * alert watches. The objects that only support a path (its ServiceAccount, its scripts) are none.
 */
import { ElementName } from "../../contracts/elements";
import { dumpCronJobName } from "../../contracts/qalita-chart";
import { PlanResource } from "../../contracts/preview";
import { findMechanisms, isQalitaRelease } from "./mechanisms";
import { SNAPSHOT_SCHEDULE_TYPE } from "./snapshot-schedules";

export const CRONJOB_TYPES = ["kubernetes:batch/v1:CronJob", "kubernetes:batch/v1beta1:CronJob"];

export interface ProtectionPath {
    readonly element: ElementName;
    readonly mechanism: string;
    readonly kind: "CronJob" | "SnapshotSchedule";
    /** Undefined when the preview does not know it (an output of another resource). */
    readonly namespace?: string;
    readonly name?: string;
    readonly urn: string;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

export function protectionPaths(resources: readonly PlanResource[]): ProtectionPath[] {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    return findMechanisms(resources).flatMap(({ element, mechanism, urn }): ProtectionPath[] => {
        const resource = byUrn.get(urn)!;
        const props = resource.props ?? {};
        if (isQalitaRelease(resource)) {
            const release = text(props.name);
            return [{ element, mechanism, kind: "CronJob", namespace: text(props.namespace), name: release && dumpCronJobName(release), urn }];
        }
        const kind = CRONJOB_TYPES.includes(resource.type) ? "CronJob" : resource.type === SNAPSHOT_SCHEDULE_TYPE ? "SnapshotSchedule" : undefined;
        if (!kind) return [];
        return [{ element, mechanism, kind, namespace: text(props.metadata?.namespace), name: text(props.metadata?.name), urn }];
    });
}
