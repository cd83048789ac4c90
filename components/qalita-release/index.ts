/**
 * The QALITA helm release with the DR values applied — or, when the release is managed elsewhere
 * (Argo CD, plain helm), only the values overlay as YAML for that tool to apply.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { stringify } from "yaml";
import { postrenderCommand } from "./postrender/worker-token";

export const QALITA_CHART_REPO = "https://helm.qalita.io/";

export interface QalitaReleaseArgs {
    readonly namespace: string;
    readonly releaseName: string;
    readonly chartVersion: string;
    /** Values this stack owns (see values.ts). */
    readonly values: Record<string, unknown>;
    /** false: deploy nothing, only expose the overlay (DrSpec.manageRelease, true unless configured). */
    readonly manage: boolean;
    /** The release is already installed (helm): import it instead of installing (docs/adopt.md). */
    readonly adopt: boolean;
    /** Secret values file pinning QALITA's generated secrets (see pinned-secrets.ts). */
    readonly secretValuesFile?: pulumi.Input<pulumi.asset.Asset>;
}

/** States, for reviewers and the policy pack, what the secret values file pins. */
export const PINNED_DESCRIPTION = "qalita-dr: backend.secretKey, backend.adminPassword and PostgreSQL passwords pinned through valueYamlFiles";

export class QalitaRelease extends pulumi.ComponentResource {
    /** The values overlay as YAML, for users whose release is managed elsewhere. */
    readonly valuesYaml: pulumi.Output<string>;
    readonly release?: Release;

    constructor(name: string, args: QalitaReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:qalita:Release", name, {}, opts);
        this.valuesYaml = pulumi.output(stringify(args.values));
        if (args.manage) {
            this.release = new Release(
                `${name}-release`,
                {
                    name: args.releaseName,
                    namespace: args.namespace,
                    chart: "qalita",
                    version: args.chartVersion,
                    repositoryOpts: { repo: QALITA_CHART_REPO },
                    createNamespace: true,
                    values: args.values,
                    // One QALITA_WORKER_TOKEN per worker container, from its Secret (docs/decisions/0001).
                    postrender: postrenderCommand(),
                    ...(args.secretValuesFile ? { valueYamlFiles: [args.secretValuesFile], description: PINNED_DESCRIPTION } : {}),
                },
                {
                    parent: this,
                    // An installed release is imported (ID namespace/name), then upgraded with these
                    // values in the same deployment (Pulumi CLI ≥ 3.174); a no-op once imported.
                    ...(args.adopt ? { import: `${args.namespace}/${args.releaseName}` } : {}),
                },
            );
        }
        this.registerOutputs({ valuesYaml: this.valuesYaml });
    }
}
