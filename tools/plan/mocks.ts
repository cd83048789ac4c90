/**
 * The mocks the offline plan and the test suite share. Strict, like pulumi-awsx's: a resource
 * type or invoke nobody declared here is an error, so a typo'd type token fails loudly instead
 * of producing a plan that could never deploy.
 */
import * as pulumi from "@pulumi/pulumi";

/** Outputs a provider would compute, per type; inputs are echoed back as state otherwise. */
const COMPUTED: Record<string, (name: string, inputs: Record<string, any>) => Record<string, unknown>> = {
    "pulumi:pulumi:Stack": () => ({}),
    "pulumi:providers:kubernetes": () => ({}),
    "pulumi:providers:aws": () => ({}),
    "kubernetes:helm.sh/v3:Release": (name, inputs) => ({ status: { name: inputs.name ?? name, namespace: inputs.namespace, status: "deployed" } }),
    "kubernetes:snapscheduler.backube/v1:SnapshotSchedule": () => ({}),
    "kubernetes:core/v1:PersistentVolumeClaimPatch": () => ({}),
    "kubernetes:core/v1:ConfigMap": () => ({}),
    "kubernetes:core/v1:ServiceAccount": () => ({}),
    "kubernetes:batch/v1:CronJob": () => ({}),
    "kubernetes:batch/v1:Job": () => ({}),
    // A stand-in: the plan never shows it (secret), and nothing random makes plans differ.
    "random:index/randomPassword:RandomPassword": (name) => ({ result: `mock-${name}` }),
    // Cold storage (components/cold-storage): ARNs in a fixed mock account and region, bucket and
    // IAM names as given (or the resource name when autonamed), a stand-in for the access key secret.
    "aws:kms/key:Key": (name) => ({ arn: `arn:aws:kms:us-east-1:123456789012:key/${name}`, keyId: name }),
    "aws:kms/alias:Alias": (name, inputs) => ({ arn: `arn:aws:kms:us-east-1:123456789012:${inputs.name ?? name}` }),
    "aws:s3/bucket:Bucket": (name, inputs) => ({ bucket: inputs.bucket ?? name, arn: `arn:aws:s3:::${inputs.bucket ?? name}`, bucketRegionalDomainName: `${inputs.bucket ?? name}.s3.us-east-1.amazonaws.com` }),
    "aws:s3/bucketVersioning:BucketVersioning": () => ({}),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": () => ({}),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": () => ({}),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": () => ({}),
    "aws:s3/bucketPolicy:BucketPolicy": () => ({}),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": () => ({}),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": () => ({}),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": () => ({}),
    "aws:iam/role:Role": (name, inputs) => ({ name: inputs.name ?? name, arn: `arn:aws:iam::123456789012:role/${inputs.name ?? name}` }),
    "aws:iam/rolePolicy:RolePolicy": () => ({}),
    "aws:iam/user:User": (name, inputs) => ({ name: inputs.name ?? name, arn: `arn:aws:iam::123456789012:user/${inputs.name ?? name}` }),
    "aws:iam/userPolicy:UserPolicy": () => ({}),
    "aws:iam/accessKey:AccessKey": (name) => ({ secret: `mock-secret-${name}` }),
    "kubernetes:core/v1:Secret": () => ({}),
    // VolumeSnapshots (components/snapshots): the class and a restored PVC echo their inputs. A
    // VolumeSnapshot is only ever read (restore.pvc): a read carries no name, so the stand-in is
    // one ready 8Gi snapshot that does not report its source PVC (restores then name the set's
    // single PVC, or ask for restore.pvc.pvcName).
    "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass": () => ({}),
    "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot": () => ({ spec: { volumeSnapshotClassName: "mock-snapclass" }, status: { readyToUse: true, restoreSize: "8Gi" } }),
    "kubernetes:core/v1:PersistentVolumeClaim": () => ({}),
};

export class UnexpectedMockError extends Error {}

export const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const compute = COMPUTED[args.type];
        if (!compute && args.type.startsWith("qalita-dr:")) return { id: "", state: args.inputs };
        if (!compute) throw new UnexpectedMockError(`unexpected resource type ${args.type} (${args.name}): declare it in tools/plan/mocks.ts`);
        const state = { ...args.inputs, ...compute(args.name, args.inputs) };
        // Kubernetes objects get their name from metadata, as the provider does.
        const metadata = args.inputs.metadata as { name?: string } | undefined;
        return { id: metadata?.name ?? `${args.name}-id`, state };
    },
    call(args) {
        throw new UnexpectedMockError(`unexpected invoke ${args.token}: declare it in tools/plan/mocks.ts`);
    },
};

