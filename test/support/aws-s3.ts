// An S3 endpoint that behaves like AWS S3 for the cold-storage bucket, whose default
// encryption is SSE-KMS with a customer-managed key (CMK), as seen by the backup writer:
//  - ETags are not MD5s (rclone must carry its own MD5 in X-Amz-Meta-Md5chksum, which it only
//    does when told server_side_encryption = aws:kms);
//  - a write that asks for aws:kms must name the CMK, or AWS silently uses the aws/s3 managed
//    key: here it is refused and recorded in `violations`;
//  - the writer's IAM policy cannot delete: DeleteObject(s) is denied and recorded.
// s3rver stores the bytes (startS3Server); a node:http proxy in front of it does the rest.
import { EtagMap } from "./aws-s3-etags";
import { AwsS3Request, startProxy } from "./aws-s3-proxy";
import { destEnv } from "./rclone";
import { S3Server, startS3Server } from "./s3-server";

export type { AwsS3Request } from "./aws-s3-proxy";

/** The key ARN the bucket's default encryption uses unless a test picks another. */
export const DEFAULT_KMS_KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

export interface AwsS3Options {
    kmsKeyArn?: string;
    /** Let DeleteObject(s) through (the writer's policy denies them by default). */
    allowDelete?: boolean;
}

export interface AwsS3 extends S3Server {
    /** The proxy: what the code under test talks to. */
    readonly endpoint: string;
    /** s3rver itself, behind the proxy (no rules, real MD5 ETags). */
    readonly storeEndpoint: string;
    readonly kmsKeyArn: string;
    /** Writes AWS would have encrypted with another key than the CMK, and reads sending SSE headers. */
    readonly violations: string[];
    /** Object keys (without bucket) whose deletion the writer's policy denied. */
    readonly deniedDeletes: string[];
    /** Every request the proxy received, in order. */
    readonly requests: AwsS3Request[];
}

/**
 * Starts s3rver (buckets created) behind the AWS-like proxy. S3Server's helpers (keys, object,
 * putObject, deleteObject) go straight to the store: test-side setup and inspection, no rules.
 */
export async function startAwsS3(buckets: string[], options: AwsS3Options = {}): Promise<AwsS3> {
    const store = await startS3Server(buckets);
    const state = {
        kmsKeyArn: options.kmsKeyArn ?? DEFAULT_KMS_KEY_ARN,
        allowDelete: options.allowDelete ?? false,
        etags: new EtagMap(),
        violations: [] as string[],
        deniedDeletes: [] as string[],
        requests: [] as AwsS3Request[],
    };
    const proxy = await startProxy(Number(new URL(store.endpoint).port), state).catch(async (e: unknown) => {
        await store.stop();
        throw e;
    });
    const { kmsKeyArn, violations, deniedDeletes, requests } = state;
    return {
        ...store,
        kmsKeyArn,
        violations,
        deniedDeletes,
        requests,
        endpoint: proxy.endpoint,
        storeEndpoint: store.endpoint,
        async stop() {
            await proxy.close();
            await store.stop();
        },
    };
}

/**
 * The scripts' destination settings for a bucket on an AWS-like endpoint: destEnv's, plus the
 * CMK the scripts must pass to rclone (sse_kms_key_id, with server_side_encryption = aws:kms).
 */
export function awsDestEnv(server: AwsS3, bucket: string): Record<string, string> {
    return {
        ...destEnv(server, bucket),
        DR_DEST_PROVIDER: "Other",
        DR_DEST_ENDPOINT: server.endpoint,
        DR_DEST_ACCESS_KEY_ID: server.accessKeyId,
        DR_DEST_SECRET_ACCESS_KEY: server.secretAccessKey,
        DR_DEST_KMS_KEY_ARN: server.kmsKeyArn,
    };
}
