/**
 * The one-shot agents restore (config `restore.agents`): its ServiceAccount, the ConfigMap of what
 * it runs (restore.sh, the credential exclude list, the shared rclone setup) and the Job.
 */
import * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { jobIdentity } from "../jobs/identity";
import { agentsRestoreJobName, agentsRestoreName } from "../../contracts/names";
import { agentsJobFiles } from "./offsite-spec";
import { agentsRestoreJobSpec, AgentsRestoreJobArgs, RESTORE_DEADLINE_HOURS } from "./restore-job-spec";

export interface AgentsRestoreArgs extends Omit<AgentsRestoreJobArgs, "serviceAccountName" | "configMapName"> {
    readonly namespace: string;
    readonly release: string;
    /** Only "latest" today (config/restore/schema.ts). */
    readonly from: string;
    /** IAM role for IRSA; absent when credentials come from a Secret. */
    readonly roleArn?: pulumi.Input<string>;
}

/** The ConfigMap files of the restore. */
export function agentsRestoreFiles(): Record<string, string> {
    return agentsJobFiles("restore.sh");
}

export class AgentsRestore extends pulumi.ComponentResource {
    readonly jobName: pulumi.Output<string>;

    constructor(name: string, args: AgentsRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:agents:Restore", name, {}, opts);
        const base = agentsRestoreName(args.release);
        const identity = jobIdentity(this, name, {
            objectName: base,
            namespace: args.namespace,
            labels: args.labels,
            files: agentsRestoreFiles(),
            roleArn: args.roleArn,
        });
        const job = new Job(
            `${name}-job`,
            {
                metadata: { name: agentsRestoreJobName(args.release, args.from), namespace: args.namespace, labels: args.labels },
                spec: agentsRestoreJobSpec({ ...args, serviceAccountName: identity.serviceAccountName, configMapName: identity.configMapName }),
            },
            {
                parent: this,
                dependsOn: identity.dependsOn,
                // The provider waits for the Job to complete (10 min by default): as long as it may run.
                customTimeouts: { create: `${RESTORE_DEADLINE_HOURS}h`, update: `${RESTORE_DEADLINE_HOURS}h` },
            },
        );
        this.jobName = job.metadata.name;
        this.registerOutputs({ jobName: this.jobName });
    }
}
