/**
 * The one-shot restore Job (config `restore.postgresql`), with its ServiceAccount and the
 * ConfigMap of scripts it runs. Named after the dump it restores, so asking for another dump
 * creates a new Job instead of mutating a finished one.
 */
import * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { ConfigMap, ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { rcloneLibraryFiles } from "../offsite/scripts";
import { readScript } from "./inline-command";
import { restoreJobSpec, RestoreJobArgs } from "./restore-job-spec";

export interface PostgresRestoreArgs extends Omit<RestoreJobArgs, "name" | "serviceAccountName" | "configMapName"> {
    /** IAM role for IRSA when the dump is fetched from cold storage. */
    readonly roleArn?: pulumi.Input<string>;
}

/** Name of the restore Job's ServiceAccount (and prefix of its other objects). */
export function postgresRestoreName(release: string): string {
    return `${release}-dr-restore`;
}

export function restoreJobName(release: string, from: string): string {
    return `${release}-dr-restore-${from.toLowerCase()}`;
}

export class PostgresRestore extends pulumi.ComponentResource {
    readonly jobName: pulumi.Output<string>;

    constructor(name: string, args: PostgresRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:postgresql:Restore", name, {}, opts);
        const base = postgresRestoreName(args.release);
        const metadata = (resourceName: string) => ({ name: resourceName, namespace: args.namespace, labels: args.labels });
        const serviceAccount = new ServiceAccount(`${name}-sa`, {
            metadata: { ...metadata(base), ...(args.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": args.roleArn } } : {}) },
            automountServiceAccountToken: false,
        }, { parent: this });
        const scripts = new ConfigMap(`${name}-scripts`, {
            metadata: metadata(`${base}-scripts`),
            data: { "restore.sh": readScript("restore.sh"), "fetch-dump.sh": readScript("fetch-dump.sh"), ...rcloneLibraryFiles() },
        }, { parent: this });
        const job = new Job(`${name}-job`, {
            metadata: metadata(restoreJobName(args.release, args.from)),
            spec: restoreJobSpec({ ...args, name: base, serviceAccountName: base, configMapName: `${base}-scripts` }),
        }, { parent: this, dependsOn: [serviceAccount, scripts] });
        this.jobName = job.metadata.name;
        this.registerOutputs({ jobName: this.jobName });
    }
}
