/**
 * One snapscheduler SnapshotSchedule for a set of PVCs, plus the labels the chart forgot.
 * Requires snapscheduler and a CSI driver that can snapshot in the cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { PersistentVolumeClaimPatch } from "@pulumi/kubernetes/core/v1";
import type { ElementName } from "../../contracts/elements";
import { drLabels } from "../../contracts/labels";
import { ElementClaims } from "../../contracts/snapshot-claims";
import { SnapshotScheduleSpec } from "./schedule-spec";

export interface ElementSnapshotsArgs {
    readonly namespace: string;
    readonly scheduleName: string;
    readonly element: ElementName;
    readonly claims: ElementClaims;
    readonly spec: SnapshotScheduleSpec;
    readonly labels: Record<string, string>;
}

export class ElementSnapshots extends pulumi.ComponentResource {
    readonly scheduleName: pulumi.Output<string>;

    constructor(name: string, args: ElementSnapshotsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:snapshots:ElementSnapshots", name, {}, opts);
        // On the chart's PVCs: not part of qalita-dr.
        const patchLabels = Object.keys(args.claims.patchLabels).length ? args.claims.patchLabels : drLabels({ element: args.element }, { partOf: false });
        // Server-side apply of our labels only: the chart keeps owning the rest of the PVC.
        const patches = args.claims.pvcsToLabel.map(
            (pvc) =>
                new PersistentVolumeClaimPatch(
                    `${name}-label-${pvc}`,
                    {
                        metadata: { name: pvc, namespace: args.namespace, labels: patchLabels },
                    },
                    { parent: this },
                ),
        );
        const schedule = new CustomResource(
            `${name}-schedule`,
            {
                apiVersion: "snapscheduler.backube/v1",
                kind: "SnapshotSchedule",
                metadata: { name: args.scheduleName, namespace: args.namespace, labels: args.labels },
                spec: args.spec,
            },
            { parent: this, dependsOn: patches },
        );
        this.scheduleName = schedule.metadata.name;
        this.registerOutputs({ scheduleName: this.scheduleName });
    }
}
