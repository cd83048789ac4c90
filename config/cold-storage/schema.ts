/**
 * `qalita-dr:coldStorage`: the shape of the bucket's settings as users write them (strict, like
 * every config object). Their meaning, and the lifecycle rules derived from the elements: resolve.ts.
 */
import { z } from "zod";
import { TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES } from "../../contracts/s3-lifecycle/lifecycle-validate";
import { STORAGE_CLASSES, StorageClass } from "../../contracts/s3-lifecycle/storage-classes";
import { days, S3_DAYS_LIMIT } from "../schema-parts";

/** us-east-1, eu-west-3, ap-southeast-7, us-gov-west-1, us-isob-east-1 … */
const AWS_REGION = /^[a-z]{2}(-(gov|iso[a-z]?))?-(central|(north|south)?(east|west)|north|south)-\d{1,2}$/;
const OIDC_PROVIDER_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/[^\s]+$/;
const gb = z.number({ error: "write a size in GB, e.g. 2.5" }).positive({ error: "write a size in GB greater than 0" });
const price = z.number({ error: "write a price in USD per GB-month, e.g. 0.0125" }).nonnegative({ error: "write a price ≥ 0" });

export const coldStorageSchema = z.strictObject({
    /** Backup buckets are named `<bucketPrefix>-<stack>`. @default "qalita-dr" (DEFAULT_BUCKET_PREFIX) */
    bucketPrefix: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$/, { error: "write 3–42 lowercase letters, digits or hyphens" })
        .optional(),
    /** Default retention of every new object version; can't be turned off once on. */
    objectLock: z
        .strictObject(
            {
                mode: z.enum(["GOVERNANCE", "COMPLIANCE"], {
                    error: "write GOVERNANCE (s3:BypassGovernanceRetention can still delete) or COMPLIANCE (nobody can, not even root)",
                }),
                days: days(30, S3_DAYS_LIMIT),
            },
            { error: "write { mode: GOVERNANCE, days: 30 }" },
        )
        .optional(),
    /** Region of a cross-region replica bucket; unset: no replica. */
    replicaRegion: z
        .string({ error: 'write an AWS region, e.g. "eu-central-1"' })
        .regex(AWS_REGION, { error: 'write an AWS region, e.g. "eu-central-1"' })
        .optional(),
    /** @default "all_storage_classes_128K" (objects under 128 KB never transition: they would cost more) */
    transitionDefaultMinimumObjectSize: z
        .enum(TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES, { error: `write ${TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES.join(" or ")}` })
        .optional(),
    /** The cluster's IAM OIDC provider: copy jobs then assume a role (IRSA) instead of holding a key. */
    oidc: z
        .strictObject({
            providerArn: z.string().regex(OIDC_PROVIDER_ARN, { error: "write the IAM OIDC provider's ARN, arn:aws:iam::<account>:oidc-provider/<issuer>" }),
            issuerUrl: z.string().regex(/^(https:\/\/)?[^\s/]+(\/[^\s]*)?$/, {
                error: "write the cluster's OIDC issuer URL, e.g. https://oidc.eks.eu-west-3.amazonaws.com/id/EXAMPLE",
            }),
        })
        .optional(),
    /** Size of one backup per element, for cost estimates. */
    expectedBackupSizeGb: z.strictObject({ postgresql: gb.optional(), s3: gb.optional(), agents: gb.optional(), redis: gb.optional() }).optional(),
    /** USD per GB-month overrides (another region, negotiated prices). @default us-east-1 list prices */
    prices: z
        .strictObject(Object.fromEntries(STORAGE_CLASSES.map((c) => [c, price.optional()])) as Record<StorageClass, z.ZodOptional<typeof price>>)
        .optional(),
    /** Prefixes where kopia/restic/Velero keep a repository in the same bucket: no lifecycle may act there. */
    repositoryPrefixes: z
        .array(z.string().min(1, { error: 'write a non-empty prefix, e.g. "velero/"' }), { error: 'write a list of prefixes, e.g. ["velero/"]' })
        .optional(),
});

export type RawColdStorage = z.infer<typeof coldStorageSchema>;
