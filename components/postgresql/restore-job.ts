/**
 * The one-shot restore Job (config `restore.postgresql`), with its ServiceAccount and the
 * ConfigMap of scripts it runs. Named after the dump it restores, so asking for another dump
 * creates a new Job instead of mutating a finished one.
 */
import * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { jobIdentity } from "../jobs/identity";
import { postgresRestoreJobName, postgresRestoreName } from "../../contracts/names";
import { coldStorageJobFiles } from "../offsite/scripts";
import { RESTORE_DEADLINE_HOURS, restoreJobSpec, RestoreJobArgs } from "./restore-job-spec";

export interface PostgresRestoreArgs extends Omit<RestoreJobArgs, "name" | "serviceAccountName" | "configMapName"> {
    /** IAM role for IRSA when the dump is fetched from cold storage. */
    readonly roleArn?: pulumi.Input<string>;
}

/** The ConfigMap files of the restore Job: restore.sh, and for a cold source fetch-dump.sh with the shell it sources. */
export function postgresRestoreFiles(): Record<string, string> {
    return coldStorageJobFiles("postgresql", ["restore.sh", "fetch-dump.sh"]);
}

export class PostgresRestore extends pulumi.ComponentResource {
    readonly jobName: pulumi.Output<string>;

    constructor(name: string, args: PostgresRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:postgresql:Restore", name, {}, opts);
        const base = postgresRestoreName(args.release);
        const identity = jobIdentity(this, name, {
            objectName: base,
            namespace: args.namespace,
            labels: args.labels,
            roleArn: args.roleArn,
            files: postgresRestoreFiles(),
        });
        const job = new Job(
            `${name}-job`,
            {
                metadata: { name: postgresRestoreJobName(args.release, args.from), namespace: args.namespace, labels: args.labels },
                spec: restoreJobSpec({ ...args, name: base, serviceAccountName: identity.serviceAccountName, configMapName: identity.configMapName }),
            },
            {
                parent: this,
                dependsOn: identity.dependsOn,
                // pulumi up waits for the Job to complete: as long as it may run, not the provider's 10 min.
                customTimeouts: { create: `${RESTORE_DEADLINE_HOURS}h`, update: `${RESTORE_DEADLINE_HOURS}h` },
            },
        );
        this.jobName = job.metadata.name;
        this.registerOutputs({ jobName: this.jobName });
    }
}
