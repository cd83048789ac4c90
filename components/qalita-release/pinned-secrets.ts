/**
 * Values QALITA regenerates on every `helm upgrade` when left empty — the backend's JWT signing
 * key and admin password — and the PostgreSQL passwords, pinned as Pulumi secrets. A database
 * restored into a release with another secretKey would invalidate every agent token.
 *
 * They reach helm through a secret `valueYamlFiles` asset, never through `values`: a secret
 * anywhere in `values` would blind the whole property in previews, hiding the backup settings
 * the policy pack and reviewers must read.
 */
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random";
import deepmerge from "deepmerge";
import { stringify } from "yaml";
import { AdoptedSecrets, readLiveSecrets, releaseSecretRefs } from "./live-secrets";

/** An installed release whose secrets are read from the cluster rather than generated (adopt mode). */
export interface LiveRelease {
    readonly namespace: string;
    readonly release: string;
}

export class PinnedSecrets extends pulumi.ComponentResource {
    /** The secret values file for the release (a Pulumi secret). */
    readonly valuesFile: pulumi.Output<pulumi.asset.Asset>;
    /** Its text, for helm or Argo CD when the release is managed elsewhere (a Pulumi secret). */
    readonly valuesYaml: pulumi.Output<string>;

    /**
     * @param adopted values configured in `secrets.*`: they win.
     * @param live with an installed release, every other value is read from it; none is generated.
     * @param userSecretValues the user's own sensitive values (`secretReleaseValues`), under the pinned ones.
     */
    constructor(
        name: string,
        adopted: AdoptedSecrets = {},
        live?: LiveRelease,
        userSecretValues?: pulumi.Input<Record<string, unknown>>,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("qalita-dr:qalita:PinnedSecrets", name, {}, opts);
        const missing = (Object.keys(releaseSecretRefs("")) as (keyof AdoptedSecrets)[]).filter((key) => adopted[key] === undefined);
        const existing: AdoptedSecrets = { ...(live ? readLiveSecrets(this, live.namespace, live.release, missing) : {}), ...adopted };
        const pin = (suffix: string, length: number, value?: pulumi.Input<string>) =>
            value !== undefined
                ? pulumi.secret(value)
                : // Alphanumeric only: these values land in YAML, connection strings and env vars.
                  new RandomPassword(`${name}-${suffix}`, { length, special: false }, { parent: this }).result;
        const secretKey = pin("secret-key", 64, existing.backendSecretKey);
        const adminPassword = pin("admin-password", 24, existing.adminPassword);
        const postgresPassword = pin("postgres-password", 32, existing.postgresPassword);
        const userPassword = pin("postgresql-password", 32, existing.postgresUserPassword);
        this.valuesYaml = pulumi.secret(
            pulumi.all([secretKey, adminPassword, postgresPassword, userPassword, userSecretValues ?? {}]).apply(([key, admin, postgres, user, own]) =>
                stringify(
                    deepmerge(
                        own as Record<string, unknown>,
                        {
                            backend: { secretKey: key, adminPassword: admin },
                            // QALITA's chart passes postgresql.global.postgresql.auth to both the backend and Bitnami.
                            postgresql: { global: { postgresql: { auth: { password: user, postgresPassword: postgres } } } },
                        },
                        { arrayMerge: (_target: unknown[], source: unknown[]) => source },
                    ),
                ),
            ),
        );
        this.valuesFile = pulumi.secret(this.valuesYaml.apply((yaml) => new pulumi.asset.StringAsset(yaml)));
        this.registerOutputs({ valuesFile: this.valuesFile, valuesYaml: this.valuesYaml });
    }
}
