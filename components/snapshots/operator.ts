/**
 * The snapscheduler operator, for clusters that do not run it yet. One instance serves every
 * namespace and upstream does not support two: install it from exactly one stack.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3";

export const SNAPSCHEDULER_CHART_REPO = "https://backube.github.io/helm-charts/";

export interface SnapschedulerOperatorArgs {
    /** Pinned chart version (the chart's appVersion follows it). */
    readonly chartVersion: string;
    /** The operator's own namespace, created with the release. */
    readonly namespace: string;
}

export class SnapschedulerOperator extends pulumi.ComponentResource {
    readonly releaseName: pulumi.Output<string>;
    /** SnapshotSchedules must wait for it: the chart installs their CRD. */
    readonly release: Release;

    constructor(name: string, args: SnapschedulerOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:snapshots:SnapschedulerOperator", name, {}, opts);
        this.release = new Release(
            `${name}-release`,
            {
                name: "snapscheduler",
                namespace: args.namespace,
                createNamespace: true,
                chart: "snapscheduler",
                version: args.chartVersion,
                repositoryOpts: { repo: SNAPSCHEDULER_CHART_REPO },
                // The chart manages the SnapshotSchedule CRD (its default since 3.2.0): said here so
                // that a values change upstream cannot silently leave the schedules without a CRD.
                values: { manageCRDs: true },
            },
            { parent: this },
        );
        this.releaseName = this.release.name;
        this.registerOutputs({ releaseName: this.releaseName });
    }
}
