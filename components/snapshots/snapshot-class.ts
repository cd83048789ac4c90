/**
 * The VolumeSnapshotClass the schedules use, when the stack creates it (`snapshots.driver`).
 * Cluster-scoped. `Retain` keeps the storage snapshot when snapscheduler expires its
 * VolumeSnapshot: a deleted namespace cannot take the backups with it, but expired snapshots
 * then keep costing until their VolumeSnapshotContents are deleted.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";

export interface SnapshotClassArgs {
    readonly name: string;
    readonly driver: string;
    readonly deletionPolicy: "Retain" | "Delete";
    readonly parameters: Readonly<Record<string, string>>;
    readonly labels: Record<string, string>;
}

/** The object as the API server receives it (validated against the upstream CRD in tests). */
export function volumeSnapshotClassObject(args: SnapshotClassArgs) {
    return {
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshotClass",
        metadata: { name: args.name, labels: args.labels },
        driver: args.driver,
        deletionPolicy: args.deletionPolicy,
        ...(Object.keys(args.parameters).length ? { parameters: { ...args.parameters } } : {}),
    };
}

export class SnapshotClass extends pulumi.ComponentResource {
    readonly className: pulumi.Output<string>;

    constructor(name: string, args: SnapshotClassArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:snapshots:SnapshotClass", name, {}, opts);
        const snapshotClass = new CustomResource(`${name}-class`, volumeSnapshotClassObject(args), { parent: this });
        this.className = snapshotClass.metadata.name;
        this.registerOutputs({ className: this.className });
    }
}
