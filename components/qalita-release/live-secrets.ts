/**
 * The secrets of a QALITA release that is already installed (`adopt: true`), read from the live
 * cluster instead of generated: the database keeps the passwords it was initialised with, and a new
 * `secretKey` would invalidate every agent token. Where QALITA 2.11.6 keeps them
 * (templates/qalita-secret.yaml; Bitnami's secret.yaml):
 * - `<release>-qalita-secret`: `secretKey`, `adminPassword` — data is b64enc(value), and value is
 *   what `backend.secretKey` must be set to (when the chart generated it, value is itself the b64enc
 *   of a random string: decode once, never twice);
 * - `<release>-postgresql`: `password` (the app user), `postgres-password`.
 */
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "@pulumi/kubernetes/core/v1";
import { POSTGRESQL_SECRET_KEYS, postgresqlName, qalitaSecretName } from "../../contracts/qalita-chart";

/** Existing values to adopt instead of generating new ones (an already-installed release). */
export interface AdoptedSecrets {
    readonly backendSecretKey?: pulumi.Input<string>;
    readonly adminPassword?: pulumi.Input<string>;
    readonly postgresPassword?: pulumi.Input<string>;
    readonly postgresUserPassword?: pulumi.Input<string>;
}

type PinnedKey = keyof AdoptedSecrets;

/** Where each pinned value lives in an installed release. */
export function releaseSecretRefs(release: string): Record<PinnedKey, { readonly secret: string; readonly key: string }> {
    return {
        backendSecretKey: { secret: qalitaSecretName(release), key: "secretKey" },
        adminPassword: { secret: qalitaSecretName(release), key: "adminPassword" },
        postgresPassword: { secret: postgresqlName(release), key: POSTGRESQL_SECRET_KEYS.postgresPassword },
        postgresUserPassword: { secret: postgresqlName(release), key: POSTGRESQL_SECRET_KEYS.userPassword },
    };
}

/** Reads the wanted values from the cluster; a missing Secret or key fails the preview, saying what to do. */
export function readLiveSecrets(parent: pulumi.Resource, namespace: string, release: string, wanted: readonly PinnedKey[]): AdoptedSecrets {
    const refs = releaseSecretRefs(release);
    const reads = new Map<string, Secret>();
    const read = (name: string) => {
        if (!reads.has(name)) reads.set(name, Secret.get(`adopted-${name}`, `${namespace}/${name}`, { parent }));
        return reads.get(name)!;
    };
    const values: Partial<Record<PinnedKey, pulumi.Output<string>>> = {};
    for (const field of wanted) {
        const { secret, key } = refs[field];
        values[field] = pulumi.secret(
            read(secret).data.apply((data) => {
                const encoded = data?.[key];
                if (!encoded) {
                    throw new Error(
                        `adopt: Secret ${namespace}/${secret} has no ${key}; set the value yourself: ` +
                            `pulumi config set --secret --path 'secrets.${field}' "$(kubectl -n ${namespace} get secret ${secret} -o jsonpath='{.data.${key}}' | base64 -d)"`,
                    );
                }
                return Buffer.from(encoded, "base64").toString("utf8");
            }),
        );
    }
    return values;
}
