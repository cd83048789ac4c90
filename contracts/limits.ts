/**
 * The largest numbers the stack's targets accept. The config refuses a value beyond them (naming
 * the key and the range), the S3 lifecycle validator and the policy pack refuse a plan holding one:
 * past these limits a value is not "a very long retention", it is a number the API server, S3 or
 * snapscheduler rejects — or, worse, wraps around.
 */

/**
 * A 32-bit signed integer's maximum: CRD fields of `format: int32` (snapscheduler's
 * `retention.maxCount`, test/fixtures/upstream/crd/snapscheduler.backube_snapshotschedules.v1.json).
 */
export const INT32_MAX = 2_147_483_647;

/**
 * S3 day counts (lifecycle `days`, `noncurrentDays`, `daysAfterInitiation`, Object Lock default
 * retention `days`): AWS documents "a non-zero positive integer" and no maximum, but the API type
 * is an Integer — a 32-bit int in the SDKs, aws-sdk-go-v2 (which the AWS provider uses) included.
 */
export const S3_MAX_DAYS = INT32_MAX;

/**
 * Go's `time.Duration` counts int64 nanoseconds: the longest is 2562047h47m16.854775807s, and
 * `time.ParseDuration` fails beyond it. snapscheduler parses `retention.expires` so (a whole number
 * of h, m or s), Prometheus a rule's `for:` likewise.
 */
export const GO_DURATION_MAX_SECONDS = 9_223_372_036.854775807;
/** The longest Go duration in whole hours: `"2562047h"`. */
export const GO_DURATION_MAX_HOURS = Math.floor(GO_DURATION_MAX_SECONDS / 3600);

/**
 * The longest retention the stack deploys, in days (106751, about 292 years): a retention becomes
 * a SnapshotSchedule's `expires` (days × 24 h, a Go duration) as well as an S3 expiration, so the
 * tighter of the two bounds it.
 */
export const MAX_RETENTION_DAYS = Math.floor(GO_DURATION_MAX_HOURS / 24);
