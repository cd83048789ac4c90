/**
 * S3 storage prices by class, for the cost estimate (config/cold-storage/cost.ts). The classes
 * themselves: contracts/s3-lifecycle/storage-classes.ts.
 */
import type { PriceTable } from "../spec";

/**
 * Public list prices, us-east-1 (US East, N. Virginia), first-50-TB tier, storage only.
 * Source: the AWS S3 pricing page (https://aws.amazon.com/s3/pricing/). Taken on 2026-11-24 from
 * a third-party copy of that page's table dated 2026-06-05 (usage.ai, "Glacier and Deep Archive
 * Pricing"); the AWS page itself could not be fetched from the build machine, so re-check it.
 * INTELLIGENT_TIERING is its frequent-access tier: the estimate assumes no automatic savings and
 * leaves out its per-object monitoring fee. Other regions and negotiated prices differ: these are
 * defaults only — estimateMonthlyCost takes a `prices` override, meant to come from stack config.
 */
export const US_EAST_1_PRICES: PriceTable = {
    STANDARD: 0.023,
    STANDARD_IA: 0.0125,
    INTELLIGENT_TIERING: 0.023,
    ONEZONE_IA: 0.01,
    GLACIER_IR: 0.004,
    GLACIER: 0.0036,
    DEEP_ARCHIVE: 0.00099,
};

/** Date of the copy of the AWS table the prices were read from. */
export const PRICES_SOURCE_DATED = "2026-06-05";
export const PRICES_SOURCE = "https://aws.amazon.com/s3/pricing/ (us-east-1, first 50 TB/month)";

/**
 * Data transfer out of S3 from us-east-1 to another AWS region, USD per GB: what cross-region
 * replication (coldStorage.replicaRegion) pays for every byte written to the bucket, on top of the
 * replica's storage. Source: the AWS S3 pricing page (https://aws.amazon.com/s3/pricing/), "Data
 * Transfer" tab, "Data Transfer OUT From Amazon S3 To Other AWS Regions"; its "Replication" tab
 * bills cross-region replication that transfer plus the destination's storage. Taken on 2026-12-01
 * from AWS re:Post, "Cost effective methods for accessing S3 buckets cross-region"
 * (https://repost.aws/articles/ARjzluyMS8RbeOOK4MGXRG6Q), which quotes $0.02 per GB from us-east-1
 * to us-west-2; the AWS page itself could not be fetched from the build machine, so re-check it.
 * Some region pairs cost less (us-east-1 → us-east-2), other source regions more. Replication's PUT
 * requests and KMS calls are left out, as every request fee is.
 */
export const US_EAST_1_INTER_REGION_TRANSFER_USD_PER_GB = 0.02;
/** When the transfer price was read (see above). */
export const TRANSFER_PRICE_TAKEN = "2026-12-01";
