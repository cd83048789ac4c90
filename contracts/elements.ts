/**
 * QALITA's elements and how critical each is (QALITA's own DR guidance), and the sets of PVCs the
 * snapshots protect, per element. The config validates schedules against these limits, the
 * components plan by them and the policy pack judges a preview by them: one definition.
 */

export const CRITICALITIES = ["critical", "moderate", "low", "none"] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const ELEMENTS = ["postgresql", "s3", "agents", "redis", "frontend", "backend"] as const;
export type ElementName = (typeof ELEMENTS)[number];

/** How critical each element is (config/catalog.ts holds the rest of each element's defaults). */
export const ELEMENT_CRITICALITY: Readonly<Record<ElementName, Criticality>> = {
    postgresql: "critical",
    s3: "moderate",
    agents: "moderate",
    redis: "low",
    frontend: "none",
    backend: "none",
};

/** Longest gap between two backups each criticality tolerates (hours); `none` has no backup. */
export const MAX_INTERVAL_HOURS: Record<Criticality, number | undefined> = {
    critical: 24,
    moderate: 7 * 24,
    // A month: a monthly schedule leaves up to 31 days between runs (the catalog's default for redis).
    low: 31 * 24,
    none: undefined,
};

/** Criticalities whose elements must have at least one backup mechanism. */
export function requiresBackup(criticality: Criticality): boolean {
    return criticality === "critical" || criticality === "moderate";
}

/** Sets of PVCs, each snapshotted by one schedule and restorable on its own. */
export const PVC_SETS = ["s3", "agents", "postgresql-data", "postgresql-dump", "redis"] as const;
export type PvcSetName = (typeof PVC_SETS)[number];
export const PVC_SET_ELEMENT: Readonly<Record<PvcSetName, ElementName>> = {
    s3: "s3",
    agents: "agents",
    "postgresql-data": "postgresql",
    "postgresql-dump": "postgresql",
    redis: "redis",
};
