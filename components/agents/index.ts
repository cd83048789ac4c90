/**
 * The agents' (QALITA workers') DR: an encrypted, credential-free offsite copy of ~/.qalita from
 * the worker store and, when asked for, the restore Job that brings it back. The worker's own
 * settings (token from a Secret, relink on start) are release values: worker-values.ts; the
 * token's Secret is WorkerToken (secrets.ts), which the release must wait for.
 */
import * as pulumi from "@pulumi/pulumi";
import { OffsiteCopy } from "../offsite";
import { DEFAULT_BWLIMIT } from "../../config/catalog";
import { destinationEnv, roleArnOf } from "../offsite/destination";
import { AgentsCopySettings, agentsCopyArgs, agentsCopyFiles, cryptSecretEnv } from "./offsite-spec";
import { AgentsRestore } from "./restore-job";
import { agentsCrypt, CryptKey } from "./secrets";
import { drLabels } from "../../contracts/labels";
import { agentsCryptSecretName } from "../../contracts/names";

export interface AgentsDrArgs extends Omit<AgentsCopySettings, "cryptSecretName"> {
    /** Adopted crypt key (secrets.agentsCryptPassword/Salt). @default generated once, kept in the stack's state */
    readonly crypt?: CryptKey;
    /**
     * `restore.agents`. Step 1 (relink false) runs the restore Job while worker-values.ts keeps the
     * worker stopped; step 2 (relink true) starts the worker and drops the finished Job, so that a
     * restore can never run beside a worker that is already writing into ~/.qalita.
     */
    readonly restore?: { readonly from: string; readonly relink: boolean };
}

export class AgentsDr extends pulumi.ComponentResource {
    readonly offsiteCronJob: pulumi.Output<string>;
    readonly cryptSecretName: pulumi.Output<string>;
    /** The crypt key (Pulumi secrets), to keep in a vault: without it the copies can't be read. */
    readonly cryptKey: pulumi.Output<{ password: string; salt: string }>;
    readonly restoreJob?: pulumi.Output<string>;

    constructor(name: string, args: AgentsDrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:agents:AgentsDr", name, {}, opts);
        const labels = drLabels({ element: "agents" });
        const secretName = agentsCryptSecretName(args.release);
        const crypt = agentsCrypt(`${name}-crypt`, { namespace: args.namespace, secretName, labels, adopted: args.crypt }, this);
        const roleArn = roleArnOf(args.destination);
        const offsite = new OffsiteCopy(
            `${name}-offsite`,
            {
                ...agentsCopyArgs({ ...args, cryptSecretName: secretName }),
                files: agentsCopyFiles(),
                roleArn,
            },
            { parent: this, dependsOn: [crypt.secret] },
        );
        this.offsiteCronJob = offsite.cronJobName;
        this.cryptSecretName = crypt.secretName;
        this.cryptKey = pulumi.secret(pulumi.all([crypt.password, crypt.salt]).apply(([password, salt]) => ({ password, salt })));
        if (args.restore && !args.restore.relink) {
            const { env, secretEnv } = destinationEnv(args.destination, args.prefix);
            const restore = new AgentsRestore(
                `${name}-restore`,
                {
                    namespace: args.namespace,
                    release: args.release,
                    from: args.restore.from,
                    labels: drLabels({ element: "agents", action: "restore" }),
                    env,
                    secretEnv: [...cryptSecretEnv(secretName), ...secretEnv],
                    bandwidthLimit: args.bandwidthLimit ?? DEFAULT_BWLIMIT,
                    roleArn,
                },
                { parent: this, dependsOn: [crypt.secret] },
            );
            this.restoreJob = restore.jobName;
        }
        this.registerOutputs({
            offsiteCronJob: this.offsiteCronJob,
            cryptSecretName: this.cryptSecretName,
            cryptKey: this.cryptKey,
            restoreJob: this.restoreJob,
        });
    }
}

export { WorkerToken } from "./secrets";
export { workerValues } from "./worker-values";
