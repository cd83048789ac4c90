/**
 * The agents' Kubernetes Secrets. Values stay Pulumi secrets end to end: `stringData` built from
 * a secret is blinded in plans and previews, and the release values only name the Secret.
 * - WorkerToken: the worker's API token (secrets.workerToken), read by QALITA_WORKER_TOKEN.
 * - agentsCrypt: the rclone crypt password and salt of the offsite copy — generated once and kept
 *   in the stack's state, or adopted from a vault (secrets.agentsCrypt*): without them the
 *   copies can't be read, so losing the cluster must not lose them.
 */
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "@pulumi/kubernetes/core/v1";
import { RandomPassword } from "@pulumi/random";

export const CRYPT_PASSWORD_KEY = "password";
export const CRYPT_SALT_KEY = "salt";

export interface WorkerTokenArgs {
    readonly namespace: string;
    /** `<release>-dr-worker` (contracts/names.ts workerTokenSecretName). */
    readonly secretName: string;
    readonly key: string;
    /** From `secrets.workerToken`; made a Pulumi secret here whatever it arrives as. */
    readonly token: pulumi.Input<string>;
    readonly labels: Record<string, string>;
}

/** The Secret the worker's QALITA_WORKER_TOKEN reads. The release must wait for it: a pod whose env names a missing Secret does not start. */
export class WorkerToken extends pulumi.ComponentResource {
    readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: WorkerTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:agents:WorkerToken", name, {}, opts);
        const secret = new Secret(
            `${name}-secret`,
            {
                metadata: { name: args.secretName, namespace: args.namespace, labels: args.labels },
                type: "Opaque",
                stringData: { [args.key]: pulumi.secret(args.token) },
            },
            { parent: this },
        );
        this.secretName = secret.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }
}

export interface CryptKey {
    readonly password: pulumi.Input<string>;
    readonly salt: pulumi.Input<string>;
}

/** The crypt key's Secret (keys `password`, `salt`), from an adopted key or a generated one. */
export function agentsCrypt(
    name: string,
    args: { namespace: string; secretName: string; labels: Record<string, string>; adopted?: CryptKey },
    parent: pulumi.Resource,
) {
    // Alphanumeric: rclone reads them from single-line env values.
    const generate = (suffix: string) => new RandomPassword(`${name}-${suffix}`, { length: 48, special: false }, { parent }).result;
    const password = pulumi.secret(args.adopted?.password ?? generate("password"));
    const salt = pulumi.secret(args.adopted?.salt ?? generate("salt"));
    const secret = new Secret(
        `${name}-secret`,
        {
            metadata: { name: args.secretName, namespace: args.namespace, labels: args.labels },
            type: "Opaque",
            stringData: { [CRYPT_PASSWORD_KEY]: password, [CRYPT_SALT_KEY]: salt },
        },
        { parent },
    );
    return { secret, secretName: secret.metadata.name, password, salt };
}
