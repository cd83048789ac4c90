/**
 * Cold storage for QALITA's backups: one hardened, KMS-encrypted, versioned bucket per stack with
 * a lifecycle rule per element prefix, an optional cross-region replica, and the least-privilege
 * identity in-cluster copy jobs write with. Lifecycle rules come derived and validated from the
 * config layer (config/cold-storage/resolve.ts): this component only deploys them.
 */
import * as pulumi from "@pulumi/pulumi";
import { replicaBucketName } from "../../config/cold-storage/resolve";
import { LifecycleRule } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { ObjectLockSettings, hardenedBucket } from "./bucket";
import { bucketArn } from "./policy-documents";
import { bucketReplica } from "./replica";
import { OidcProvider, WriterCredentials, backupWriter } from "./writer";
import { COMPONENT_TAG } from "../../contracts/cold-storage";
import { DEFAULT_WRITER_SECRET_NAME } from "../../contracts/names";

export type { WriterCredentials } from "./writer";

export interface ColdStorageElement {
    readonly element: string;
    /** Key prefix of the element's copies, e.g. `postgresql/`; the writer may write only there. */
    readonly prefix: string;
    readonly rule: LifecycleRule;
}

export interface ColdStorageArgs {
    /** Bucket name, fixed (`<bucketPrefix>-<stack>`) so a restore from scratch knows where to look. */
    readonly bucketName: string;
    /** One lifecycle rule and writer prefix each; at least one. */
    readonly elements: readonly ColdStorageElement[];
    /** Namespace of the copy jobs, and of the writer Secret. */
    readonly namespace: string;
    /** @default "all_storage_classes_128K" — objects under 128 KB never transition (it would cost more) */
    readonly transitionDefaultMinimumObjectSize?: string;
    /** Default retention of every object version. @default none: Object Lock off (it can't be turned off once on) */
    readonly objectLock?: ObjectLockSettings;
    /** Region of a replica bucket (`<bucketName>-replica`). @default none: no replica */
    readonly replicaRegion?: string;
    /** Name of the replica bucket. @default `<bucketName>-replica` */
    readonly replicaBucketName?: string;
    /** Where kopia/restic/Velero repositories live in the bucket (tagged for the policy pack). @default [] */
    readonly repositoryPrefixes?: readonly string[];
    /** The cluster's IAM OIDC provider. @default none: an IAM user, its access key in a Kubernetes Secret */
    readonly oidc?: OidcProvider;
    /** Service accounts of the copy jobs, the only ones the IRSA role trusts; required with `oidc`. @default [] */
    readonly writerServiceAccounts?: readonly string[];
    /** Secret holding `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (without `oidc`). @default "qalita-dr-backup-writer" */
    readonly writerSecretName?: string;
    /** ARN partition (`aws-cn`, `aws-us-gov`). @default "aws" */
    readonly partition?: string;
    /** @default false — `pulumi destroy` fails on a bucket holding backups rather than deleting them */
    readonly forceDestroy?: boolean;
    /** Added to every AWS resource. @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

export class ColdStorage extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Element → key prefix, e.g. `{ postgresql: "postgresql/" }`. */
    readonly prefixes: pulumi.Output<Record<string, string>>;
    readonly writerCredentials: pulumi.Output<WriterCredentials>;
    /** With `oidc`: annotate the copy jobs' ServiceAccounts with it (`eks.amazonaws.com/role-arn`). */
    readonly writerRoleArn?: pulumi.Output<string>;
    /** Without `oidc`: the Secret the copy jobs take their credentials from. */
    readonly writerSecretName?: pulumi.Output<string>;
    readonly replicaBucketName?: pulumi.Output<string>;
    readonly replicaBucketArn?: pulumi.Output<string>;
    readonly replicaKmsKeyArn?: pulumi.Output<string>;

    constructor(name: string, args: ColdStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before registering anything: invalid args leave no half-built component behind.
        const serviceAccounts = args.writerServiceAccounts ?? [];
        if (args.elements.length === 0) throw new Error(`ColdStorage ${name}: no element to store; create it only when an element is backed up offsite`);
        if (args.oidc && serviceAccounts.length === 0)
            throw new Error(`ColdStorage ${name}: oidc needs writerServiceAccounts, or the writer role could never be assumed`);
        super("qalita-dr:cold-storage:ColdStorage", name, {}, opts);
        const partition = args.partition ?? "aws";
        const bucketArgs = {
            bucketName: args.bucketName,
            partition,
            keyDescription: `QALITA backups in s3://${args.bucketName}`,
            objectLock: args.objectLock,
            lifecycleRules: args.elements.map((element) => element.rule),
            transitionDefaultMinimumObjectSize: args.transitionDefaultMinimumObjectSize ?? "all_storage_classes_128K",
            repositoryPrefixes: args.repositoryPrefixes ?? [],
            backupPrefixes: args.elements.map((element) => element.prefix),
            forceDestroy: args.forceDestroy ?? false,
            tags: { [COMPONENT_TAG]: "cold-storage", ...args.tags },
        };
        const source = hardenedBucket(`${name}-bucket`, bucketArgs, { parent: this });
        const writer = backupWriter(
            name,
            {
                bucketArn: bucketArn(args.bucketName, partition),
                kmsKeyArn: source.key.arn,
                prefixes: args.elements.map((element) => element.prefix),
                namespace: args.namespace,
                serviceAccounts,
                oidc: args.oidc,
                secretName: args.writerSecretName ?? DEFAULT_WRITER_SECRET_NAME,
                tags: bucketArgs.tags,
            },
            { parent: this },
        );
        this.bucketName = source.bucket.bucket;
        this.bucketArn = source.bucket.arn;
        this.kmsKeyArn = source.key.arn;
        this.prefixes = pulumi.output(Object.fromEntries(args.elements.map((element) => [element.element, element.prefix])));
        this.writerCredentials = writer.credentials;
        this.writerRoleArn = writer.roleArn;
        this.writerSecretName = writer.secretName;
        if (args.replicaRegion !== undefined) {
            const replica = bucketReplica(
                `${name}-replica`,
                {
                    source,
                    sourceArgs: bucketArgs,
                    replicaBucketName: args.replicaBucketName ?? replicaBucketName(args.bucketName),
                    region: args.replicaRegion,
                },
                this,
            );
            this.replicaBucketName = replica.bucket.bucket;
            this.replicaBucketArn = replica.bucket.arn;
            this.replicaKmsKeyArn = replica.key.arn;
        }
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            kmsKeyArn: this.kmsKeyArn,
            prefixes: this.prefixes,
            writerCredentials: this.writerCredentials,
            writerRoleArn: this.writerRoleArn,
            writerSecretName: this.writerSecretName,
            replicaBucketName: this.replicaBucketName,
            replicaBucketArn: this.replicaBucketArn,
            replicaKmsKeyArn: this.replicaKmsKeyArn,
        });
    }
}
