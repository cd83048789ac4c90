/**
 * The IAM and bucket policy documents of cold storage, as pure functions of plain strings, so the
 * tests and the policy pack read exactly what the component deploys. The component calls them
 * inside `apply` only where an ARN is known after creation (KMS keys, roles).
 */

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

const document = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** `arn:aws:s3:::bucket`; built from the name so bucket policies are known at preview. */
export function bucketArn(bucketName: string, partition = "aws"): string {
    return `arn:${partition}:s3:::${bucketName}`;
}

/** Refuses every request not made over TLS 1.2 or later, whoever makes it. */
export function denyInsecureTransportPolicy(bucket: string): PolicyDocument {
    const resources = [bucket, `${bucket}/*`];
    return document(
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    );
}

export interface WriterPolicyArgs {
    readonly bucketArn: string;
    readonly kmsKeyArn: string;
    /** Key prefixes the writer may touch, e.g. `postgresql/`. */
    readonly prefixes: readonly string[];
}

/**
 * What a copy job needs and nothing more: read back and write objects under its prefixes (rclone
 * checks what it wrote), list only those prefixes, use the bucket key. No delete, no lifecycle or
 * policy change, no governance bypass: a stolen writer credential can add backups, never destroy them.
 */
export function writerPolicy({ bucketArn, kmsKeyArn, prefixes }: WriterPolicyArgs): PolicyDocument {
    if (prefixes.length === 0) throw new RangeError("a backup writer needs at least one prefix");
    return document(
        { Sid: "WriteBackups", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: prefixes.map((prefix) => `${bucketArn}/${prefix}*`) },
        {
            Sid: "ListOwnPrefixes",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": prefixes.map((prefix) => `${prefix}*`) } },
        },
        { Sid: "UseBucketKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"], Resource: kmsKeyArn },
    );
}

/** `system:serviceaccount:<namespace>:<name>`, the `sub` claim of a projected token. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
    return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

export interface WebIdentityTrustArgs {
    readonly providerArn: string;
    /** Issuer URL; the scheme is dropped, as IAM condition keys spell it. */
    readonly issuer: string;
    readonly subjects: readonly string[];
}

/** IRSA: only tokens the cluster issued to these service accounts, for STS, can assume the role. */
export function webIdentityTrustPolicy({ providerArn, issuer, subjects }: WebIdentityTrustArgs): PolicyDocument {
    if (subjects.length === 0) throw new RangeError("a web-identity role needs at least one service account to trust");
    const host = issuer.replace(/^https:\/\//, "").replace(/\/+$/, "");
    return document({
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${host}:sub`]: subjects, [`${host}:aud`]: "sts.amazonaws.com" } },
    });
}

/** S3 replication assumes the role, only on behalf of the source bucket (confused-deputy guard). */
export function replicationTrustPolicy(sourceBucketArn: string): PolicyDocument {
    return document({
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn } },
    });
}

export interface ReplicationPolicyArgs {
    readonly sourceBucketArn: string;
    readonly replicaBucketArn: string;
    readonly sourceKeyArn: string;
    readonly replicaKeyArn: string;
    /** Locked versions carry their retention to the replica, which needs reading it. */
    readonly objectLock: boolean;
}

/**
 * Read versions from the source, write replicas to the destination. No s3:ReplicateDelete: delete
 * markers are not replicated, so a deletion on the source never hides the replica's copy.
 */
export function replicationPolicy(args: ReplicationPolicyArgs): PolicyDocument {
    const readVersions = [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        ...(args.objectLock ? ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] : []),
    ];
    return document(
        { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: args.sourceBucketArn },
        { Sid: "ReadSourceVersions", Effect: "Allow", Action: readVersions, Resource: `${args.sourceBucketArn}/*` },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: `${args.replicaBucketArn}/*` },
        { Sid: "DecryptSource", Effect: "Allow", Action: "kms:Decrypt", Resource: args.sourceKeyArn },
        { Sid: "EncryptReplica", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: args.replicaKeyArn },
    );
}
