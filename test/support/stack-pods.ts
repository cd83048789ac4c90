/**
 * The stack's PostgreSQL copy and restore pods and the way its pods reach the cold-storage bucket, for tests
 * that run them on the AWS-like endpoint (test/support/aws-s3.ts) with EmulatedPod.
 */
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { ColdDestination, destinationEnv } from "../../components/offsite/destination";
import { postgresCopyArgs } from "../../components/postgresql/offsite-spec";
import { restoreJobSpec } from "../../components/postgresql/restore-job-spec";
import { postgresqlImage } from "../../contracts/qalita-chart";
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

/** The pod of the PostgreSQL restore Job of the newest dump, from the dump PVC or (with `destination`) cold storage. */
export function postgresRestorePodSpec(destination?: ColdDestination) {
    const cold = destination ? { ...destinationEnv(destination, POSTGRESQL_PREFIX), scratchSize: "1Gi" } : undefined;
    return restoreJobSpec({
        name: "restore",
        namespace: RELEASE,
        labels: {},
        release: RELEASE,
        image: postgresqlImage({}),
        serviceAccountName: "sa",
        configMapName: "scripts",
        from: "latest",
        source: cold ? "cold" : "pvc",
        jobs: 2,
        replace: false,
        cold,
    }).template.spec;
}
