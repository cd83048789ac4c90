/**
 * The stack's PostgreSQL copy pod and the way its pods reach the cold-storage bucket, for tests
 * that run them on the AWS-like endpoint (test/support/aws-s3.ts) with EmulatedPod.
 */
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { ColdDestination } from "../../components/offsite/destination";
import { postgresCopyArgs } from "../../components/postgresql/offsite-spec";
import { DEFAULT_WRITER_SECRET_NAME } from "../../contracts/names";
import { AwsS3 } from "./aws-s3";

export const RELEASE = "qalita";
export const POSTGRESQL_PREFIX = "postgresql/";

/** The destination the stack hands its pods, the writer's Secret, and what the network gives them. */
export function bucketAccess(s3: AwsS3, bucket: string) {
    const destination: ColdDestination = {
        bucket,
        region: "eu-west-3",
        kmsKeyArn: s3.kmsKeyArn,
        credentials: { kind: "secret", secretName: DEFAULT_WRITER_SECRET_NAME },
    };
    return {
        destination,
        secrets: { [DEFAULT_WRITER_SECRET_NAME]: { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey } },
        // The stand-in answers path-style only; rclone's AWS provider always uses virtual-hosted style.
        network: { DR_DEST_ENDPOINT: s3.endpoint, DR_DEST_PROVIDER: "Other" },
    };
}

/** The pod of the PostgreSQL offsite copy CronJob, as rendered for `destination`. */
export function postgresCopyPodSpec(destination: ColdDestination) {
    return copyCronJobSpec({
        ...postgresCopyArgs({ namespace: RELEASE, release: RELEASE, schedule: "30 * * * *", destination, prefix: POSTGRESQL_PREFIX }),
        serviceAccountName: "sa",
        configMapName: "scripts",
    }).jobTemplate.spec.template.spec;
}
