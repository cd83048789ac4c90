/**
 * Where copy jobs write: the cold-storage bucket, and how they authenticate — IRSA (no secret at
 * all) or the writer's access key from a Kubernetes Secret. Turned into the `DR_DEST_*`
 * environment every copy script reads (see each script's header).
 */
import * as pulumi from "@pulumi/pulumi";
import { PodEnv, SecretEnv } from "../jobs/pod";

export type WriterCredentials = { readonly kind: "secret"; readonly secretName: string } | { readonly kind: "irsa"; readonly roleArn: pulumi.Input<string> };

export interface ColdDestination {
    readonly bucket: string;
    readonly region: string;
    /** The bucket's KMS key: every write names it (SSE-KMS with the stack's CMK, not aws/s3). */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly credentials: WriterCredentials;
}

export function destinationEnv(destination: ColdDestination, prefix: string): { env: PodEnv; secretEnv: SecretEnv[] } {
    const env: PodEnv = {
        DR_DEST_BUCKET: destination.bucket,
        DR_DEST_REGION: destination.region,
        DR_DEST_PREFIX: prefix.replace(/\/$/, ""),
        DR_DEST_KMS_KEY_ARN: destination.kmsKeyArn,
    };
    if (destination.credentials.kind === "irsa") return { env, secretEnv: [] };
    const secretName = destination.credentials.secretName;
    return {
        env,
        secretEnv: [
            { name: "DR_DEST_ACCESS_KEY_ID", secretName, key: "AWS_ACCESS_KEY_ID" },
            { name: "DR_DEST_SECRET_ACCESS_KEY", secretName, key: "AWS_SECRET_ACCESS_KEY" },
        ],
    };
}

export function roleArnOf(destination: ColdDestination): pulumi.Input<string> | undefined {
    return destination.credentials.kind === "irsa" ? destination.credentials.roleArn : undefined;
}
