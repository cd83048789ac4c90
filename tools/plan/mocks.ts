/**
 * The mocks the offline plan and the test suite share. Strict, like pulumi-awsx's: a resource
 * type or invoke nobody declared here is an error, so a typo'd type token fails loudly instead
 * of producing a plan that could never deploy.
 */
import * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

const UNKNOWN = unknownValue;

/**
 * What AWS assigns on create (key ids, account-qualified ARNs, access keys): in the offline plan
 * unknown, as `pulumi preview` shows it, never invented. Component tests that check how an ARN is
 * wired into a policy or an env var switch to `fake` (test/mocks.ts): recognisable stand-ins.
 */
export const awsAssigned = { mode: "unknown" as "unknown" | "fake" };
const assigned = (fake: string) => (awsAssigned.mode === "fake" ? fake : UNKNOWN);

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
    // The WAL receiver of point-in-time recovery (components/postgresql/pitr).
    "kubernetes:apps/v1:Deployment": () => ({}),
    // The drill's report (components/postgresql/drill.ts): its Role and RoleBinding echo their inputs.
    "kubernetes:rbac.authorization.k8s.io/v1:Role": () => ({}),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": () => ({}),
    // A stand-in: the plan never shows it (secret), and nothing random makes plans differ.
    "random:index/randomPassword:RandomPassword": (name) => ({ result: `mock-${name}` }),
    // Cold storage (components/cold-storage): what AWS assigns is unknown; bucket and IAM names are
    // as given (or the resource name when autonamed), the bucket's ARN follows from its name.
    "aws:kms/key:Key": (name) => ({ arn: assigned(`arn:aws:kms:us-east-1:123456789012:key/${name}`), keyId: assigned(name) }),
    "aws:kms/alias:Alias": (name, inputs) => ({ arn: assigned(`arn:aws:kms:us-east-1:123456789012:${inputs.name ?? name}`) }),
    "aws:s3/bucket:Bucket": (name, inputs) => ({
        bucket: inputs.bucket ?? name,
        arn: `arn:aws:s3:::${inputs.bucket ?? name}`,
        bucketRegionalDomainName: `${inputs.bucket ?? name}.s3.us-east-1.amazonaws.com`,
    }),
    "aws:s3/bucketVersioning:BucketVersioning": () => ({}),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": () => ({}),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": () => ({}),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": () => ({}),
    "aws:s3/bucketPolicy:BucketPolicy": () => ({}),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": () => ({}),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": () => ({}),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": () => ({}),
    "aws:iam/role:Role": (name, inputs) => ({ name: inputs.name ?? name, arn: assigned(`arn:aws:iam::123456789012:role/${inputs.name ?? name}`) }),
    "aws:iam/rolePolicy:RolePolicy": () => ({}),
    "aws:iam/user:User": (name, inputs) => ({ name: inputs.name ?? name, arn: assigned(`arn:aws:iam::123456789012:user/${inputs.name ?? name}`) }),
    "aws:iam/userPolicy:UserPolicy": () => ({}),
    "aws:iam/accessKey:AccessKey": (name) => ({ id: assigned(`AKIAMOCK${name.length}`), secret: assigned(`mock-secret-${name}`) }),
    "kubernetes:core/v1:Secret": () => ({}),
    // VolumeSnapshots (components/snapshots): the class and a restored PVC echo their inputs. A
    // VolumeSnapshot is only ever read (restore.pvc): a read carries no name, so the stand-in is
    // one ready 8Gi snapshot that does not report its source PVC (restores then name the set's
    // single PVC, or ask for restore.pvc.pvcName).
    "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass": () => ({}),
    "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot": () => ({
        spec: { volumeSnapshotClassName: "mock-snapclass" },
        status: { readyToUse: true, restoreSize: "8Gi" },
    }),
    "kubernetes:core/v1:PersistentVolumeClaim": () => ({}),
    // Freshness alerts (components/monitoring): the Prometheus operator's rule echoes its inputs.
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": () => ({}),
};

export class UnexpectedMockError extends Error {}

/**
 * What reads (`Resource.get`) of live objects return, by type and id (`namespace/name`): a test
 * sets the fixtures of the cluster it stands for. Without one, a read is unknown — the offline
 * plan has no cluster to read.
 */
export const liveObjects = new Map<string, Record<string, unknown>>();
const liveKey = (type: string, id: string) => `${type} ${id}`;

export function setLiveObject(type: string, id: string, state: Record<string, unknown> | undefined): void {
    if (state) liveObjects.set(liveKey(type, id), state);
    else liveObjects.delete(liveKey(type, id));
}

export const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        if (args.id && args.type === "kubernetes:core/v1:Secret") {
            // A read: the live object when the plan has one, else unknown (the provider marks Secret data secret).
            const live = liveObjects.get(liveKey(args.type, args.id));
            return { id: args.id, state: live ? { ...live, data: pulumi.secret(live.data) } : { data: UNKNOWN } };
        }
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
