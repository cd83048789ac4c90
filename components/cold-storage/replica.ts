/**
 * A replica of the backup bucket in another region: the same hardening and lifecycle (hardened
 * bucket helper), its own KMS key there, and a replication role that can read versions from the
 * source and write replicas — nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import { Role, RolePolicy } from "@pulumi/aws/iam";
import { Provider } from "@pulumi/aws/provider";
import { BucketReplicationConfig } from "@pulumi/aws/s3";
import { HardenedBucket, HardenedBucketArgs, hardenedBucket } from "./bucket";
import { bucketArn, replicationPolicy, replicationTrustPolicy } from "./policy-documents";

export interface ReplicaArgs {
    readonly source: HardenedBucket;
    /** The source bucket's settings; the replica gets the same, under its own name. */
    readonly sourceArgs: HardenedBucketArgs;
    readonly replicaBucketName: string;
    readonly region: string;
}

export function bucketReplica(name: string, args: ReplicaArgs, parent: pulumi.Resource): HardenedBucket {
    // Credentials and everything else come from the default provider's environment; only the region differs.
    const provider = new Provider(`${name}-provider`, { region: args.region }, { parent });
    const replica = hardenedBucket(
        name,
        {
            ...args.sourceArgs,
            bucketName: args.replicaBucketName,
            keyDescription: `Replica of ${args.sourceArgs.bucketName} in ${args.region}`,
        },
        { parent, provider },
    );
    const sourceArn = bucketArn(args.sourceArgs.bucketName, args.sourceArgs.partition);
    const role = new Role(
        `${name}-replication-role`,
        {
            description: `S3 replication ${args.sourceArgs.bucketName} → ${args.replicaBucketName}`,
            assumeRolePolicy: JSON.stringify(replicationTrustPolicy(sourceArn)),
            tags: args.sourceArgs.tags,
        },
        { parent },
    );
    const policy = new RolePolicy(
        `${name}-replication-policy`,
        {
            role: role.name,
            policy: pulumi.all([args.source.key.arn, replica.key.arn]).apply(([sourceKeyArn, replicaKeyArn]) =>
                JSON.stringify(
                    replicationPolicy({
                        sourceBucketArn: sourceArn,
                        replicaBucketArn: bucketArn(args.replicaBucketName, args.sourceArgs.partition),
                        sourceKeyArn,
                        replicaKeyArn,
                        objectLock: args.sourceArgs.objectLock !== undefined,
                    }),
                ),
            ),
        },
        { parent },
    );
    // S3 refuses a replication configuration until both sides are versioned.
    new BucketReplicationConfig(
        `${name}-replication`,
        {
            bucket: args.source.bucket.bucket,
            role: role.arn,
            rules: [
                {
                    id: "qalita-dr-replicate-all",
                    status: "Enabled",
                    filter: { prefix: "" },
                    // A deletion on the source must never hide the replica's copy.
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: { bucket: replica.bucket.arn, encryptionConfiguration: { replicaKmsKeyId: replica.key.arn } },
                },
            ],
        },
        { parent, dependsOn: [args.source.versioning, replica.versioning, policy] },
    );
    return replica;
}
