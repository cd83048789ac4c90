/**
 * Every job the stack schedules, with the configured schedule it follows — what the collision
 * check (schedule-collisions.ts) compares. Pure: read from the DrSpec and the snapshot plan
 * (components/snapshots/plan.ts, handed in by its shape so config/ stays below components/).
 */
import type { ElementName, PvcSetName } from "../contracts/elements";
import type { DrSpec, ScheduleSpec } from "./spec";

/** A configured schedule: what the user edits to move its jobs. */
export interface ScheduleSource {
    /** Its key under `qalita-dr:`, e.g. `elements.agents.schedule`. */
    readonly key: string;
    readonly element: ElementName;
    readonly schedule: ScheduleSpec;
}

export interface ScheduledJob {
    /** "the agents offsite copy", for messages. */
    readonly name: string;
    readonly utcCron: string;
    /**
     * A pod that reads and writes data (dump, copy, drill): two at once compete for CPU, disk and
     * the uplink. A SnapshotSchedule run is a CSI call the storage backend serves — the stack
     * already snapshots several PVCs at once by design (volume and filer together).
     */
    readonly runsPod: boolean;
    readonly source: ScheduleSource;
}

/** The part of a planned SnapshotSchedule the check needs. */
export interface PlannedSnapshotTiming {
    readonly pvcSet: PvcSetName;
    readonly element: ElementName;
    readonly timing: { readonly utcCron: string };
}

/**
 * In the order collisions are resolved: the first source of a collision keeps its time, the later
 * ones are asked to move — the critical dump never, the restore drill first of all.
 */
export function scheduledJobs(spec: DrSpec, snapshots: readonly PlannedSnapshotTiming[]): ScheduledJob[] {
    const jobs: ScheduledJob[] = [];
    const elementSource = (element: ElementName): ScheduleSource | undefined => {
        const schedule = spec.elements[element].schedule;
        return schedule && { key: `elements.${element}.schedule`, element, schedule };
    };
    const add = (source: ScheduleSource | undefined, name: string, utcCron: string | undefined, runsPod: boolean) => {
        if (source && utcCron) jobs.push({ name, utcCron, runsPod, source });
    };
    const snapshotsOf = (source: ScheduleSource | undefined, which: (planned: PlannedSnapshotTiming) => boolean) => {
        for (const planned of snapshots.filter(which)) add(source, `the ${planned.pvcSet} VolumeSnapshots`, planned.timing.utcCron, false);
    };
    const pg = spec.elements.postgresql;
    const pgSource = elementSource("postgresql");
    if (pg.enabled) add(pgSource, "the postgresql dump", pg.schedule?.utcCron, true);
    add(pgSource, "the postgresql offsite copy", pg.offsiteUtcCron, true);
    snapshotsOf(pgSource, (planned) => planned.pvcSet === "postgresql-dump");
    const data = spec.snapshots.postgresqlData.schedule;
    snapshotsOf(data && { key: "snapshots.postgresqlData.schedule", element: "postgresql", schedule: data }, (planned) => planned.pvcSet === "postgresql-data");
    for (const element of ["s3", "agents", "redis"] as const) {
        const source = elementSource(element);
        // The agents' copy runs only beside a worker (index.ts).
        if (element !== "agents" || spec.agents.worker) add(source, `the ${element} offsite copy`, spec.elements[element].offsiteUtcCron, true);
        snapshotsOf(source, (planned) => planned.element === element);
    }
    // The drill runs only where PostgreSQL's copy is deployed (index.ts).
    const drill = pg.offsiteUtcCron ? spec.drills.postgresql : undefined;
    add(
        drill && { key: "drills.postgresql.schedule", element: "postgresql", schedule: drill.schedule },
        "the postgresql restore drill",
        drill?.schedule.utcCron,
        true,
    );
    return jobs;
}
