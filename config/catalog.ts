/**
 * QALITA's own DR guidance, as code: which parts of the platform hold state, how critical each
 * is, and the backup cadence QALITA recommends. Everything else in the stack derives from this.
 * The elements and their criticality are contracts/elements.ts's (the policy pack judges by them);
 * this file adds each element's defaults.
 */
import { Criticality, ELEMENT_CRITICALITY, ElementName } from "../contracts/elements";
import type { ColdLayout } from "./spec";
import { elementPrefix as contractPrefix } from "../contracts/cold-storage";

export interface ElementDefaults {
    readonly criticality: Criticality;
    readonly enabled: boolean;
    /** Kubernetes cron (5 fields, UTC unless a timezone is configured). */
    readonly schedule?: string;
    /** How long backups are kept (days) — also the cold-storage expiration. */
    readonly retentionDays?: number;
    /** What holds the element's state, for the posture table and docs. */
    readonly state: string;
    /**
     * When the stack's offsite copy to cold storage runs: on the element's own schedule, or
     * polling for each complete dump (dump-timing.ts). Absent: the stack runs no copy job for it.
     */
    readonly offsiteCopy?: "schedule" | "after-dump";
    /** How that copy writes its prefix: what its noncurrent versions are (spec.ts › ColdLayout). @default "per-backup" */
    readonly coldLayout?: ColdLayout;
}

/**
 * Defaults per element. Retentions are long enough for the colder tiers to pay off (an object
 * that reaches DEEP_ARCHIVE is billed 180 days whatever happens), and cover ≥ 2 intervals.
 */
export const CATALOG: Readonly<Record<ElementName, ElementDefaults>> = {
    postgresql: {
        criticality: ELEMENT_CRITICALITY.postgresql,
        enabled: true,
        schedule: "0 2 * * *",
        retentionDays: 365,
        state: "Bitnami PostgreSQL subchart (StatefulSet qalita-postgresql)",
        offsiteCopy: "after-dump",
        coldLayout: "per-backup",
    },
    s3: {
        criticality: ELEMENT_CRITICALITY.s3,
        enabled: true,
        schedule: "0 3 * * 0",
        retentionDays: 180,
        state: "SeaweedFS volume + filer PVCs (logs, pack archives)",
        offsiteCopy: "schedule",
        coldLayout: "mirror",
    },
    agents: {
        criticality: ELEMENT_CRITICALITY.agents,
        enabled: true,
        schedule: "0 4 * * 0",
        retentionDays: 90,
        state: "~/.qalita/ on the worker PVC (sources, job results)",
        offsiteCopy: "schedule",
        coldLayout: "mirror",
    },
    redis: {
        criticality: ELEMENT_CRITICALITY.redis,
        enabled: false,
        schedule: "0 5 1 * *",
        retentionDays: 90,
        state: "Redis (stateless in current charts)",
    },
    frontend: { criticality: ELEMENT_CRITICALITY.frontend, enabled: false, state: "stateless" },
    backend: { criticality: ELEMENT_CRITICALITY.backend, enabled: false, state: "stateless (secrets pinned by the stack)" },
};

/** rclone --bwlimit of every copy (bytes/s): backups never starve the platform's own traffic. */
export const DEFAULT_BWLIMIT = "20M";

/**
 * The cold-storage prefix each element's copies land under. Read once, by the element resolver
 * (ElementSpec.coldStoragePrefix): everything else takes it from the DrSpec.
 */
export function elementPrefix(element: ElementName): string {
    return contractPrefix(element);
}
