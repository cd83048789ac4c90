/**
 * What every job the stack runs gets: its own ServiceAccount — no Kubernetes API access (none is
 * needed), annotated for IRSA when the bucket writer is a role — and the ConfigMap of the scripts
 * it runs, the very files the integration tests run.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap, ServiceAccount } from "@pulumi/kubernetes/core/v1";

export interface JobIdentityArgs {
    /** Name of the ServiceAccount; the ConfigMap is `<objectName>-scripts`. */
    readonly objectName: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly files: Record<string, string>;
    readonly roleArn?: pulumi.Input<string>;
}

export function jobIdentity(parent: pulumi.Resource, name: string, args: JobIdentityArgs) {
    const metadata = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels: args.labels });
    const serviceAccount = new ServiceAccount(
        `${name}-sa`,
        {
            metadata: { ...metadata(args.objectName), ...(args.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": args.roleArn } } : {}) },
            automountServiceAccountToken: false,
        },
        { parent },
    );
    const configMapName = `${args.objectName}-scripts`;
    const scripts = new ConfigMap(`${name}-scripts`, { metadata: metadata(configMapName), data: args.files }, { parent });
    return { serviceAccountName: args.objectName, configMapName, dependsOn: [serviceAccount, scripts] };
}
