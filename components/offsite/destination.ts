/**
 * Where copy jobs write: the cold-storage bucket, and how they authenticate — IRSA (no secret at
 * all) or the writer's access key from a Kubernetes Secret. Turned into the `DR_DEST_*`
 * environment every copy script reads (see each script's header).
 */
import * as pulumi from "@pulumi/pulumi";
import { SecretEnv } from "./cronjob-spec";

export { DEFAULT_BWLIMIT } from "../../config/catalog";

export type WriterCredentials =
    | { readonly kind: "secret"; readonly secretName: string }
    | { readonly kind: "irsa"; readonly roleArn: pulumi.Input<string> };

export interface ColdDestination {
    readonly bucket: string;
    readonly region: string;
    readonly credentials: WriterCredentials;
}

export function destinationEnv(destination: ColdDestination, prefix: string): { env: Record<string, string>; secretEnv: SecretEnv[] } {
    const env = { DR_DEST_BUCKET: destination.bucket, DR_DEST_REGION: destination.region, DR_DEST_PREFIX: prefix.replace(/\/$/, "") };
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
