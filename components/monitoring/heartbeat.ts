/**
 * The Secret of the dead-man's switch URL (`monitoring.heartbeatUrl`): a healthchecks.io-style
 * ping URL is a capability — whoever has it can ping, so silence the alarm — so it stays a Pulumi
 * secret end to end (blinded in plans and previews) and pods read it through secretKeyRef only.
 */
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "@pulumi/kubernetes/core/v1";
import { HEARTBEAT_SECRET_KEY } from "../../contracts/names";

export interface HeartbeatSecretArgs {
    readonly namespace: string;
    /** contracts/names.ts heartbeatSecretName. */
    readonly secretName: string;
    /** From `monitoring.heartbeatUrl`; made a Pulumi secret here whatever it arrives as. */
    readonly url: pulumi.Input<string>;
    readonly labels: Record<string, string>;
}

export class HeartbeatSecret extends pulumi.ComponentResource {
    readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: HeartbeatSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:monitoring:HeartbeatSecret", name, {}, opts);
        const secret = new Secret(
            `${name}-secret`,
            {
                metadata: { name: args.secretName, namespace: args.namespace, labels: args.labels },
                type: "Opaque",
                // The scripts append /fail themselves: one trailing slash less, whatever was configured.
                stringData: { [HEARTBEAT_SECRET_KEY]: pulumi.secret(pulumi.output(args.url).apply((url) => url.replace(/\/+$/, ""))) },
            },
            { parent: this },
        );
        this.secretName = secret.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }
}
