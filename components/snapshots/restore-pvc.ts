/**
 * Restore as code: a PVC cloned from a VolumeSnapshot (`restore.pvc`), sized from the snapshot's
 * status.restoreSize read at deploy time — a failed check stops the preview, before anything is
 * created. The PVC is retained when the config is unset again: by then it may hold the live data
 * (docs/restore-pvc.md).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1";
import { PvcRestoreSpec } from "../../config/spec";
import { PvcSelection, pvcSetClaims } from "../../contracts/snapshot-claims";
import { restoredClaimObject, VolumeSnapshotState } from "./restore-pvc-spec";

export interface PvcRestoreArgs {
    /** The release's namespace: a snapshot restores into its own namespace only. */
    readonly namespace: string;
    readonly release: string;
    /** DrSpec.restore.pvc */
    readonly restore: PvcRestoreSpec;
    /** The set's selector override (DrSpec.snapshots.selections[set]), when there is one. */
    readonly selection?: PvcSelection;
}

export class PvcRestore extends pulumi.ComponentResource {
    readonly pvcName: pulumi.Output<string>;
    /** The size requested for the restored volume. */
    readonly storage: pulumi.Output<string>;

    constructor(name: string, args: PvcRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:snapshots:PvcRestore", name, {}, opts);
        // CustomResource.get registers only apiVersion and kind as outputs; naming spec and
        // status here (undefined: a read sends no inputs) makes the read expose them too.
        const snapshot = new CustomResource(
            `${name}-snapshot`,
            {
                apiVersion: "snapshot.storage.k8s.io/v1",
                kind: "VolumeSnapshot",
                spec: undefined,
                status: undefined,
            },
            { parent: this, id: `${args.namespace}/${args.restore.snapshot}` },
        ) as CustomResource & Record<"spec" | "status", pulumi.Output<any>>;
        const request = {
            ...args.restore,
            namespace: args.namespace,
            release: args.release,
            known: pvcSetClaims(args.restore.pvcSet, args.release, args.namespace, args.selection).known,
        };
        const claim = pulumi
            .all([snapshot.spec, snapshot.status])
            .apply(([spec, status]) => restoredClaimObject({ spec, status } as VolumeSnapshotState, request));
        const pvc = new PersistentVolumeClaim(
            `${name}-pvc`,
            { metadata: claim.apply((object) => object.metadata), spec: claim.apply((object) => object.spec) },
            { parent: this, retainOnDelete: true },
        );
        this.pvcName = pvc.metadata.name;
        this.storage = claim.apply((object) => object.spec.resources.requests.storage);
        this.registerOutputs({ pvcName: this.pvcName, storage: this.storage });
    }
}
