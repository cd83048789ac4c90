/**
 * The identity in-cluster copy jobs write backups with. With the cluster's OIDC provider: an IAM
 * role only the named service accounts can assume (IRSA, no long-lived secret). Without: an IAM
 * user whose access key reaches the jobs as a Kubernetes Secret. Either way the same policy
 * (policy-documents.ts `writerPolicy`): write and read back under its prefixes, never delete.
 */
import type { PolicyDocument as AwsPolicyDocument } from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { AccessKey, Role, RolePolicy, User, UserPolicy } from "@pulumi/aws/iam";
import { Secret } from "@pulumi/kubernetes/core/v1";
import { BACKUP_WRITER, ROLE_TAG } from "../../contracts/cold-storage";
import { drLabels } from "../../contracts/labels";
import { serviceAccountSubject, webIdentityTrustPolicy, writerPolicy } from "./policy-documents";

export interface OidcProvider {
    readonly providerArn: string;
    /** Issuer URL, with or without `https://`. */
    readonly issuer: string;
}

export interface BackupWriterArgs {
    readonly bucketArn: string;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly prefixes: readonly string[];
    readonly namespace: string;
    readonly serviceAccounts: readonly string[];
    readonly oidc?: OidcProvider;
    readonly secretName: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** Where copy jobs get their credentials: annotate their ServiceAccount, or mount the Secret. */
export type WriterCredentials =
    { readonly kind: "irsa"; readonly roleArn: string } | { readonly kind: "secret"; readonly secretName: string; readonly namespace: string };

export interface BackupWriter {
    readonly credentials: pulumi.Output<WriterCredentials>;
    readonly roleArn?: pulumi.Output<string>;
    readonly secretName?: pulumi.Output<string>;
}

/** Children are named `<name>-backup-writer…` and tagged: the policy pack finds them by either. */
export function backupWriter(name: string, args: BackupWriterArgs, opts: pulumi.CustomResourceOptions): BackupWriter {
    const prefix = `${name}-${BACKUP_WRITER}`;
    const tags = { ...args.tags, [ROLE_TAG]: BACKUP_WRITER };
    // An object, not a JSON string computed in apply: only the key's ARN (known once created) is
    // unknown at preview, so reviewers and the policy pack read every action the writer gets on a
    // first preview too. The provider JSON-encodes policy documents given as objects.
    const policy = writerPolicy({ bucketArn: args.bucketArn, kmsKeyArn: args.kmsKeyArn as string, prefixes: args.prefixes }) as unknown as AwsPolicyDocument;
    if (args.oidc) {
        const subjects = args.serviceAccounts.map((serviceAccount) => serviceAccountSubject(args.namespace, serviceAccount));
        const role = new Role(
            prefix,
            {
                description: `Copy jobs in ${args.namespace} write backups (IRSA)`,
                assumeRolePolicy: JSON.stringify(webIdentityTrustPolicy({ providerArn: args.oidc.providerArn, issuer: args.oidc.issuer, subjects })),
                tags,
            },
            opts,
        );
        new RolePolicy(`${prefix}-policy`, { role: role.name, name: BACKUP_WRITER, policy }, opts);
        return { credentials: role.arn.apply((roleArn): WriterCredentials => ({ kind: "irsa", roleArn })), roleArn: role.arn };
    }
    const user = new User(prefix, { tags }, opts);
    new UserPolicy(`${prefix}-policy`, { user: user.name, name: BACKUP_WRITER, policy }, opts);
    const key = new AccessKey(`${prefix}-key`, { user: user.name }, opts);
    const secret = new Secret(
        `${prefix}-secret`,
        {
            metadata: { name: args.secretName, namespace: args.namespace, labels: drLabels({ component: BACKUP_WRITER }) },
            type: "Opaque",
            // Both secret: the key id alone tells an attacker which user to target.
            stringData: { AWS_ACCESS_KEY_ID: pulumi.secret(key.id), AWS_SECRET_ACCESS_KEY: pulumi.secret(key.secret) },
        },
        opts,
    );
    return {
        credentials: secret.metadata.name.apply((secretName): WriterCredentials => ({ kind: "secret", secretName, namespace: args.namespace })),
        secretName: secret.metadata.name,
    };
}
