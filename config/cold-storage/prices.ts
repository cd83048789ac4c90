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
