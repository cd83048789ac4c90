/**
 * Pure: which SnapshotSchedules the stack deploys — one per protected PVC set — with their UTC
 * schedule, retention, selector and labels, from the resolved DR spec.
 */
import { ElementName, PVC_SET_ELEMENT, PVC_SETS, PvcSetName } from "../../contracts/elements";
import { DUMP_SNAPSHOT_DELAY_MINUTES } from "../../config/dump-timing";
import { describeSchedule } from "../../config/schedule";
import type { ElementSpec, SnapshotsSpec } from "../../config/spec";
import { maxIntervalHours, minRetentionDays } from "../../contracts/schedule";
import { drLabels } from "../../contracts/labels";
import { ScheduleTiming, SnapshotScheduleSpec, volumeScheduleSpec } from "./schedule-spec";
import { ElementClaims, pvcSetClaims } from "../../contracts/snapshot-claims";

export interface SnapshotPlanInputs {
    readonly namespace: string;
    readonly release: string;
    readonly elements: Readonly<Record<ElementName, ElementSpec>>;
    readonly snapshots: SnapshotsSpec;
    /** DrSpec.postgresqlDump: how long dumps stay on their PVC, and when they are complete. */
    readonly postgresqlDump: { readonly keepDays: number; readonly snapshotUtcCron?: string };
}

export interface PlannedSchedule {
    readonly pvcSet: PvcSetName;
    readonly element: ElementName;
    readonly scheduleName: string;
    readonly claims: ElementClaims;
    readonly timing: ScheduleTiming;
    /** "At 03:00, only on Sunday (UTC)". */
    readonly words: string;
    /** How old the newest data in a snapshot can be when it is taken (a dump an hour old). */
    readonly dataLagHours: number;
    readonly labels: Record<string, string>;
    readonly spec: SnapshotScheduleSpec;
}

export function plannedSchedules(inputs: SnapshotPlanInputs): PlannedSchedule[] {
    return PVC_SETS.flatMap((set): PlannedSchedule[] => {
        const timed = timingOf(set, inputs);
        if (!timed) return [];
        const element = PVC_SET_ELEMENT[set];
        const claims = pvcSetClaims(set, inputs.release, inputs.namespace, inputs.snapshots.selections[set]);
        const labels = drLabels({ element, mechanism: "volume-snapshot", pvcSet: set });
        return [
            {
                pvcSet: set,
                element,
                scheduleName: `qalita-dr-${set}`,
                claims,
                timing: timed.timing,
                words: timed.words,
                dataLagHours: timed.dataLagHours,
                labels,
                spec: volumeScheduleSpec(timed.timing, claims, labels, inputs.snapshots.className),
            },
        ];
    });
}

type Timed = { timing: ScheduleTiming; words: string; dataLagHours: number };

function timingOf(set: PvcSetName, inputs: SnapshotPlanInputs): Timed | undefined {
    const element = inputs.elements[PVC_SET_ELEMENT[set]];
    if (set === "postgresql-data") {
        const data = inputs.snapshots.postgresqlData;
        if (!data.enabled || !data.schedule) return undefined;
        return {
            timing: { utcCron: data.schedule.utcCron, intervalHours: data.schedule.intervalHours, retentionDays: data.retentionDays },
            words: data.schedule.words,
            dataLagHours: 0,
        };
    }
    if (!element.enabled || !element.schedule || element.retentionDays === undefined) return undefined;
    if (set === "postgresql-dump") return dumpTiming(element, inputs.postgresqlDump);
    return {
        timing: { utcCron: element.schedule.utcCron, intervalHours: element.schedule.intervalHours, retentionDays: element.retentionDays },
        words: element.schedule.words,
        dataLagHours: 0,
    };
}

/**
 * The dump PVC is snapshotted on the dump's cadence, when its dump is complete — an hour after
 * the dump starts: a snapshot at the very minute the dump starts would only
 * hold the previous day's dumps. Kept as long as dumps stay on the PVC (at least 2 intervals):
 * the offsite copy, not these snapshots, is the long-term record.
 */
function dumpTiming(element: ElementSpec, dump: SnapshotPlanInputs["postgresqlDump"]): Timed {
    const schedule = element.schedule!;
    const utcCron = dump.snapshotUtcCron ?? schedule.utcCron;
    const intervalHours = maxIntervalHours(utcCron);
    const retentionDays = Math.max(dump.keepDays, minRetentionDays(intervalHours));
    const dataLagHours = dump.snapshotUtcCron ? DUMP_SNAPSHOT_DELAY_MINUTES / 60 : intervalHours;
    return { timing: { utcCron, intervalHours, retentionDays }, words: describeSchedule(utcCron, "UTC"), dataLagHours };
}
