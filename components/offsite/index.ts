/**
 * An offsite-copy CronJob with its own ServiceAccount (no API access: it needs none) and the
 * ConfigMap holding its scripts — the very files the integration tests run.
 */
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "@pulumi/kubernetes/batch/v1";
import { ConfigMap, ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { copyCronJobSpec, CopyCronJobArgs } from "./cronjob-spec";

export interface OffsiteCopyArgs extends Omit<CopyCronJobArgs, "serviceAccountName" | "configMapName"> {
    /** Files of the ConfigMap mounted at /scripts: the script and anything it reads. */
    readonly files: Record<string, string>;
    /** IAM role for IRSA; absent when credentials come from a Secret. */
    readonly roleArn?: pulumi.Input<string>;
}

export class OffsiteCopy extends pulumi.ComponentResource {
    readonly cronJobName: pulumi.Output<string>;

    constructor(name: string, args: OffsiteCopyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:offsite:OffsiteCopy", name, {}, opts);
        const metadata = (suffix: string) => ({ name: `${args.name}${suffix}`, namespace: args.namespace, labels: args.labels });
        const serviceAccount = new ServiceAccount(`${name}-sa`, {
            metadata: { ...metadata(""), ...(args.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": args.roleArn } } : {}) },
            automountServiceAccountToken: false,
        }, { parent: this });
        const scripts = new ConfigMap(`${name}-scripts`, { metadata: metadata("-scripts"), data: args.files }, { parent: this });
        const cronJob = new CronJob(`${name}-cronjob`, {
            metadata: metadata(""),
            spec: copyCronJobSpec({ ...args, serviceAccountName: args.name, configMapName: `${args.name}-scripts` }),
        }, { parent: this, dependsOn: [serviceAccount, scripts] });
        this.cronJobName = cronJob.metadata.name;
        this.registerOutputs({ cronJobName: this.cronJobName });
    }
}
