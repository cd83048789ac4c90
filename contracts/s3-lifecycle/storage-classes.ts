/**
 * S3 storage classes as the lifecycle rules, the validator and the cost estimate see them (prices
 * are the cost estimate's: config/cold-storage/prices.ts).
 * Facts from the Amazon S3 User Guide ("Transitioning objects using Amazon S3 Lifecycle",
 * "Using Amazon S3 storage classes") as summarised in DESIGN.md › AWS S3.
 */

export const STORAGE_CLASSES = ["STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** Classes a lifecycle transition may target: nothing moves back to STANDARD by lifecycle. */
export const TRANSITION_CLASSES = STORAGE_CLASSES.filter((c) => c !== "STANDARD") as readonly TransitionClass[];
export type TransitionClass = Exclude<StorageClass, "STANDARD">;

export function isStorageClass(value: unknown): value is StorageClass {
    return typeof value === "string" && (STORAGE_CLASSES as readonly string[]).includes(value);
}

export function isTransitionClass(value: unknown): value is TransitionClass {
    return isStorageClass(value) && value !== "STANDARD";
}

/** The infrequent-access classes S3 only accepts objects into once they are 30 days old. */
export const IA_CLASSES: readonly StorageClass[] = ["STANDARD_IA", "ONEZONE_IA"];
export const MIN_AGE_FOR_IA_DAYS = 30;

/**
 * The lifecycle waterfall: which class an object in `from` may move to. Objects only get colder;
 * anything else S3 rejects (or, across rules, silently never applies).
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<StorageClass, readonly TransitionClass[]>> = {
    STANDARD: TRANSITION_CLASSES,
    STANDARD_IA: ["INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
    INTELLIGENT_TIERING: ["ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
    ONEZONE_IA: ["GLACIER", "DEEP_ARCHIVE"],
    GLACIER_IR: ["GLACIER", "DEEP_ARCHIVE"],
    GLACIER: ["DEEP_ARCHIVE"],
    DEEP_ARCHIVE: [],
};

export function canTransition(from: StorageClass, to: StorageClass): boolean {
    return (ALLOWED_TRANSITIONS[from] as readonly StorageClass[]).includes(to);
}

/**
 * Position in the waterfall, warmest first. Every allowed transition goes to a higher rank, so
 * sorting same-day transitions by rank puts them in the only order S3 could apply them.
 */
export function waterfallRank(storageClass: StorageClass): number {
    return STORAGE_CLASSES.indexOf(storageClass);
}

/**
 * Minimum storage duration (days): leaving the class earlier — by expiration or by a transition —
 * is billed as if the object had stayed this long. INTELLIGENT_TIERING has had none since 2021.
 */
export const MIN_STORAGE_DAYS: Readonly<Record<StorageClass, number>> = {
    STANDARD: 0,
    STANDARD_IA: 30,
    INTELLIGENT_TIERING: 0,
    ONEZONE_IA: 30,
    GLACIER_IR: 90,
    GLACIER: 90,
    DEEP_ARCHIVE: 180,
};
