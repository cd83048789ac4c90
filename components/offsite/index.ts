/**
 * An offsite-copy CronJob with its own ServiceAccount (no API access: it needs none) and the
 * ConfigMap holding its scripts — the very files the integration tests run.
 */
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "@pulumi/kubernetes/batch/v1";
import { jobIdentity } from "../jobs/identity";
import { copyCronJobSpec, ElementCopyArgs } from "./cronjob-spec";

export interface OffsiteCopyArgs extends ElementCopyArgs {
    /** Files of the ConfigMap mounted at SCRIPTS_MOUNT (components/jobs/pod.ts): the script and anything it reads. */
    readonly files: Record<string, string>;
    /** IAM role for IRSA; absent when credentials come from a Secret. */
    readonly roleArn?: pulumi.Input<string>;
}

export class OffsiteCopy extends pulumi.ComponentResource {
    readonly cronJobName: pulumi.Output<string>;

    constructor(name: string, args: OffsiteCopyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:offsite:OffsiteCopy", name, {}, opts);
        const identity = jobIdentity(this, name, {
            objectName: args.name,
            namespace: args.namespace,
            labels: args.labels,
            files: args.files,
            roleArn: args.roleArn,
        });
        const cronJob = new CronJob(
            `${name}-cronjob`,
            {
                metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
                spec: copyCronJobSpec({ ...args, serviceAccountName: identity.serviceAccountName, configMapName: identity.configMapName }),
            },
            { parent: this, dependsOn: identity.dependsOn },
        );
        this.cronJobName = cronJob.metadata.name;
        this.registerOutputs({ cronJobName: this.cronJobName });
    }
}
