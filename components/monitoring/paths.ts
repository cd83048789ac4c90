/**
 * The protection paths the freshness alerts watch — the PostgreSQL dump, each offsite copy, each
 * SnapshotSchedule, as the posture lists them (components/posture.ts), plus the restore drill —
 * and how long each may go without a success: its own longest expected gap (from its schedule, or
 * for PostgreSQL from config/dump-timing.ts) plus the grace of its element's criticality. Pure.
 */
import type { Criticality, ElementName, PvcSetName } from "../../contracts/elements";
import type { Mechanism } from "../../contracts/labels";
import { agentsOffsiteName, drillCronJobName, postgresOffsiteName, seaweedfsOffsiteName } from "../../contracts/names";
import { pitrBaseBackupName, pitrOffsiteName } from "../../contracts/pitr";
import { dumpCronJobName } from "../../contracts/qalita-chart";
import { maxIntervalHours } from "../../contracts/schedule";
import { dumpSuccessGapHours, offsiteCopySuccessGapHours } from "../../config/dump-timing";
import { formatHours } from "../../config/schedule";
import type { DrSpec, ElementSpec } from "../../config/spec";
import type { PlannedSchedule } from "../snapshots/plan";

export type MonitoredCriticality = Exclude<Criticality, "none">;

/** The object whose state says when the path last succeeded. */
export interface WatchedObject {
    readonly kind: "CronJob" | "SnapshotSchedule";
    readonly namespace: string;
    readonly name: string;
}

export interface MonitoredPath {
    /** Unique, e.g. `postgresql-dump`, `snapshot-postgresql-data`: alert names derive from it. */
    readonly id: string;
    readonly element: ElementName;
    readonly criticality: MonitoredCriticality;
    readonly mechanism: Mechanism;
    readonly pvcSet?: PvcSetName;
    /** In words, for the alerts' summaries: "PostgreSQL dump". */
    readonly title: string;
    readonly watches: WatchedObject;
    /** Longest expected time between two successes, before the grace. */
    readonly expectedGapHours: number;
    /** Where it comes from: "24 h between dumps + 60 min for a run". */
    readonly gapWords: string;
    readonly graceMinutes: number;
    /** How long a run may take before a CronJob that never succeeded is reported. */
    readonly runAllowanceMinutes: number;
    /** The drill also pushes its outcome to a Pushgateway: its result is watched too. */
    readonly pushesResult?: boolean;
}

export type MonitoringInputs = Pick<DrSpec, "namespace" | "release" | "elements" | "postgresqlDump" | "monitoring" | "drills" | "agents" | "postgresqlPitr">;

/** What a base backup (and its verification) or a copy after it may take, before its path is late. */
const PITR_RUN_ALLOWANCE_MINUTES = 60;

/** Seconds a path may go without a success before its stale alert fires. */
export function budgetSeconds(path: MonitoredPath): number {
    return Math.round(path.expectedGapHours * 3600 + path.graceMinutes * 60);
}

/**
 * The dump's budget, whether or not the alerts are deployed: the PostgreSQL offsite copy relays
 * the dump's last run to the heartbeat, and one older than this as a failure. None without a dump.
 */
export function dumpBudgetSeconds(spec: MonitoringInputs): number | undefined {
    const dump = monitoredPaths(spec, []).find((path) => path.id === "postgresql-dump");
    return dump && budgetSeconds(dump);
}

/** Every path the stack deploys (the same conditions as index.ts: the policy pack checks none is left out). */
export function monitoredPaths(spec: MonitoringInputs, schedules: readonly PlannedSchedule[]): MonitoredPath[] {
    const grace = (element: ElementSpec) => spec.monitoring.graceMinutes[element.criticality as MonitoredCriticality];
    const cronJob = (name: string) => ({ kind: "CronJob" as const, namespace: spec.namespace, name });
    const paths: MonitoredPath[] = [];
    const pg = spec.elements.postgresql;
    const runMinutes = spec.postgresqlDump.expectedRunMinutes;
    if (pg.enabled && pg.schedule) {
        paths.push({
            ...about(pg, "pg-dump", grace(pg)),
            id: "postgresql-dump",
            title: "PostgreSQL dump",
            watches: cronJob(dumpCronJobName(spec.release)),
            expectedGapHours: dumpSuccessGapHours(pg.schedule.intervalHours, runMinutes),
            gapWords: `${formatHours(pg.schedule.intervalHours)} between dumps + ${runMinutes} min for a run`,
            runAllowanceMinutes: runMinutes + grace(pg),
        });
    }
    if (pg.offsiteUtcCron && pg.coldStoragePrefix) {
        paths.push({
            ...about(pg, "offsite-copy", grace(pg)),
            id: "postgresql-offsite",
            title: "PostgreSQL offsite copy",
            watches: cronJob(postgresOffsiteName(spec.release)),
            expectedGapHours: offsiteCopySuccessGapHours(runMinutes),
            gapWords: `a poll every ${formatHours(maxIntervalHours(pg.offsiteUtcCron))} + ${runMinutes} min to upload a dump`,
            runAllowanceMinutes: runMinutes + grace(pg),
        });
    }
    const copies = [
        { element: spec.elements.s3, id: "s3-offsite", title: "SeaweedFS (s3) offsite copy", name: seaweedfsOffsiteName(spec.release), on: true },
        { element: spec.elements.agents, id: "agents-offsite", title: "agents offsite copy", name: agentsOffsiteName(spec.release), on: !!spec.agents.worker },
    ];
    for (const { element, id, title, name, on } of copies) {
        if (!on || !element.offsiteUtcCron || !element.coldStoragePrefix) continue;
        const interval = maxIntervalHours(element.offsiteUtcCron);
        paths.push({
            ...about(element, "offsite-copy", grace(element)),
            id,
            title,
            watches: cronJob(name),
            expectedGapHours: interval,
            gapWords: `${formatHours(interval)} between copies`,
            runAllowanceMinutes: grace(element),
        });
    }
    for (const planned of schedules) {
        const element = spec.elements[planned.element];
        paths.push({
            ...about(element, "volume-snapshot", grace(element)),
            id: `snapshot-${planned.pvcSet}`,
            pvcSet: planned.pvcSet,
            title: `snapshots of the ${planned.pvcSet} PVCs`,
            watches: { kind: "SnapshotSchedule", namespace: spec.namespace, name: planned.scheduleName },
            expectedGapHours: planned.timing.intervalHours,
            gapWords: `${formatHours(planned.timing.intervalHours)} between snapshots`,
            runAllowanceMinutes: grace(element),
        });
    }
    const pitr = spec.postgresqlPitr;
    if (pitr) {
        // The WAL stream itself is watched by components/postgresql/pitr/alerts.ts.
        paths.push(
            {
                ...about(pg, "pitr", grace(pg)),
                id: "postgresql-pitr-base-backup",
                title: "PostgreSQL base backup (PITR)",
                watches: cronJob(pitrBaseBackupName(spec.release)),
                expectedGapHours: pitr.baseBackupSchedule.intervalHours + PITR_RUN_ALLOWANCE_MINUTES / 60,
                gapWords: `${formatHours(pitr.baseBackupSchedule.intervalHours)} between base backups + ${PITR_RUN_ALLOWANCE_MINUTES} min for a run`,
                runAllowanceMinutes: PITR_RUN_ALLOWANCE_MINUTES + grace(pg),
            },
            {
                ...about(pg, "pitr-offsite", grace(pg)),
                id: "postgresql-pitr-offsite",
                title: "PostgreSQL PITR offsite copy",
                watches: cronJob(pitrOffsiteName(spec.release)),
                expectedGapHours: pitr.copyIntervalHours + PITR_RUN_ALLOWANCE_MINUTES / 60,
                gapWords: `${formatHours(pitr.copyIntervalHours)} between copies + ${PITR_RUN_ALLOWANCE_MINUTES} min to upload a base backup`,
                runAllowanceMinutes: PITR_RUN_ALLOWANCE_MINUTES + grace(pg),
            },
        );
    }
    const drill = spec.drills.postgresql;
    if (drill) {
        paths.push({
            ...about(pg, "restore-drill", grace(pg)),
            id: "postgresql-drill",
            title: "PostgreSQL restore drill",
            watches: cronJob(drillCronJobName(spec.release)),
            expectedGapHours: drill.schedule.intervalHours,
            gapWords: `${formatHours(drill.schedule.intervalHours)} between drills`,
            runAllowanceMinutes: grace(pg),
            pushesResult: spec.drills.pushgatewayUrl !== undefined,
        });
    }
    return paths;
}

function about(element: ElementSpec, mechanism: Mechanism, graceMinutes: number) {
    return { element: element.element, criticality: element.criticality as MonitoredCriticality, mechanism, graceMinutes };
}
