/**
 * The one-shot agents restore (config `restore.agents`): its ServiceAccount, the ConfigMap of what
 * it runs (restore.sh, the credential exclude list, the shared rclone setup) and the Job.
 */
import * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { ConfigMap, ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { scriptFiles } from "./offsite-spec";
import { agentsRestoreJobSpec, AgentsRestoreJobArgs, RESTORE_DEADLINE_HOURS } from "./restore-job-spec";

export interface AgentsRestoreArgs extends Omit<AgentsRestoreJobArgs, "serviceAccountName" | "configMapName"> {
    readonly namespace: string;
    readonly release: string;
    /** Only "latest" today (config/agents-config.ts). */
    readonly from: string;
    /** IAM role for IRSA; absent when credentials come from a Secret. */
    readonly roleArn?: pulumi.Input<string>;
}

/** The restore's ServiceAccount (an identity the IRSA writer role must trust) and name prefix. */
export function agentsRestoreName(release: string): string {
    return `${release}-dr-agents-restore`;
}

/** Named after what it restores: asking for another restore creates a new Job instead of mutating a finished one. */
export function agentsRestoreJobName(release: string, from: string): string {
    return `${agentsRestoreName(release)}-${from.toLowerCase()}`;
}

export class AgentsRestore extends pulumi.ComponentResource {
    readonly jobName: pulumi.Output<string>;

    constructor(name: string, args: AgentsRestoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:agents:Restore", name, {}, opts);
        const base = agentsRestoreName(args.release);
        const metadata = (resourceName: string) => ({ name: resourceName, namespace: args.namespace, labels: args.labels });
        const serviceAccount = new ServiceAccount(`${name}-sa`, {
            metadata: { ...metadata(base), ...(args.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": args.roleArn } } : {}) },
            automountServiceAccountToken: false,
        }, { parent: this });
        const scripts = new ConfigMap(`${name}-scripts`, { metadata: metadata(`${base}-scripts`), data: scriptFiles("restore.sh") }, { parent: this });
        const job = new Job(`${name}-job`, {
            metadata: metadata(agentsRestoreJobName(args.release, args.from)),
            spec: agentsRestoreJobSpec({ ...args, serviceAccountName: base, configMapName: `${base}-scripts` }),
        }, {
            parent: this,
            dependsOn: [serviceAccount, scripts],
            // The provider waits for the Job to complete (10 min by default): as long as it may run.
            customTimeouts: { create: `${RESTORE_DEADLINE_HOURS}h`, update: `${RESTORE_DEADLINE_HOURS}h` },
        });
        this.jobName = job.metadata.name;
        this.registerOutputs({ jobName: this.jobName });
    }
}
