/**
 * Every VolumeSnapshot schedule of the stack: the operator and class when the stack owns them,
 * then one ElementSnapshots per planned PVC set (see plan.ts), created after both.
 */
import * as pulumi from "@pulumi/pulumi";
import { SnapshotsSpec } from "../../config/spec";
import { drLabels } from "../../contracts/labels";
import { ElementSnapshots } from "./element-snapshots";
import { SnapschedulerOperator } from "./operator";
import { PlannedSchedule } from "./plan";
import { SnapshotClass } from "./snapshot-class";

export interface VolumeSnapshotsArgs {
    /** Namespace of the QALITA release: schedules only select PVCs of their own namespace. */
    readonly namespace: string;
    /** plannedSchedules(...) */
    readonly schedules: readonly PlannedSchedule[];
    /** Class and operator settings (DrSpec.snapshots). */
    readonly snapshots: Pick<SnapshotsSpec, "createdClass" | "operator">;
}

export class VolumeSnapshots extends pulumi.ComponentResource {
    /** Names of the SnapshotSchedules, in plan order. */
    readonly scheduleNames: pulumi.Output<string[]>;
    /** The class the stack created; undefined when it uses an existing or the default class. */
    readonly snapshotClassName?: pulumi.Output<string>;
    readonly operatorRelease?: pulumi.Output<string>;

    constructor(name: string, args: VolumeSnapshotsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:snapshots:VolumeSnapshots", name, {}, opts);
        const prerequisites: pulumi.Resource[] = [];
        const { operator, createdClass } = args.snapshots;
        if (operator) {
            const installed = new SnapschedulerOperator(`${name}-operator`, operator, { parent: this });
            prerequisites.push(installed.release);
            this.operatorRelease = installed.releaseName;
        }
        if (createdClass) {
            const snapshotClass = new SnapshotClass(`${name}-class`, { ...createdClass, labels: drLabels() }, { parent: this });
            prerequisites.push(snapshotClass);
            this.snapshotClassName = snapshotClass.className;
        }
        const schedules = args.schedules.map(
            (planned) =>
                new ElementSnapshots(
                    `${name}-${planned.pvcSet}`,
                    {
                        namespace: args.namespace,
                        scheduleName: planned.scheduleName,
                        element: planned.element,
                        claims: planned.claims,
                        spec: planned.spec,
                        labels: planned.labels,
                    },
                    {
                        parent: this,
                        dependsOn: prerequisites,
                        // Until VolumeSnapshots, index.ts registered `snapshots-<element>` at the stack root:
                        // same names, so existing schedules are kept rather than replaced.
                        aliases: [{ parent: pulumi.rootStackResource }],
                    },
                ),
        );
        this.scheduleNames = pulumi.all(schedules.map((schedule) => schedule.scheduleName));
        this.registerOutputs({ scheduleNames: this.scheduleNames, snapshotClassName: this.snapshotClassName, operatorRelease: this.operatorRelease });
    }
}
