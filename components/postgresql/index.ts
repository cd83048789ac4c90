/**
 * PostgreSQL's DR beyond the chart's own dump CronJob (enabled through the release values): the
 * offsite copy of complete dumps to cold storage, the scheduled restore drill and, when asked
 * for, a one-shot restore.
 */
import * as pulumi from "@pulumi/pulumi";
import { drLabels } from "../../contracts/labels";
import type { ResolvedImage } from "../../contracts/qalita-chart";
import { OffsiteCopy } from "../offsite";
import { ColdDestination, destinationEnv, roleArnOf } from "../offsite/destination";
import { postgresCopyArgs, postgresCopyFiles, PostgresCopySettings } from "./offsite-spec";
import { PostgresDrill } from "./drill";
import { PostgresRestore } from "./restore-job";

export interface PostgresqlDrArgs extends Omit<PostgresCopySettings, "schedule"> {
    /** UTC cron of the offsite copy: hourly (config/dump-timing.ts), each complete dump once. */
    readonly offsiteSchedule: string;
    readonly destination: ColdDestination;
    /** The release's PostgreSQL image and pull secrets, for the restore Job. */
    readonly image: ResolvedImage;
    readonly restore?: {
        readonly from: string;
        readonly source: "pvc" | "cold";
        readonly jobs: number;
        readonly replace: boolean;
        readonly scratchSize: string;
    };
    /** The restore drill (docs/drills.md); absent when off. */
    readonly drill?: {
        /** UTC cron. */
        readonly schedule: string;
        readonly source: "cold" | "pvc";
        readonly scratchSize: string;
        readonly pushgatewayUrl?: string;
    };
}

export class PostgresqlDr extends pulumi.ComponentResource {
    readonly offsiteCronJob: pulumi.Output<string>;
    readonly restoreJob?: pulumi.Output<string>;
    readonly drillCronJob?: pulumi.Output<string>;

    constructor(name: string, args: PostgresqlDrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:postgresql:PostgresqlDr", name, {}, opts);
        const offsite = new OffsiteCopy(
            `${name}-offsite`,
            {
                ...postgresCopyArgs({ ...args, schedule: args.offsiteSchedule }),
                files: postgresCopyFiles(),
                roleArn: roleArnOf(args.destination),
            },
            { parent: this },
        );
        this.offsiteCronJob = offsite.cronJobName;
        if (args.restore) {
            const { env, secretEnv } = destinationEnv(args.destination, args.prefix);
            const restore = new PostgresRestore(
                `${name}-restore`,
                {
                    namespace: args.namespace,
                    release: args.release,
                    labels: drLabels({ element: "postgresql", action: "restore" }),
                    ...args.restore,
                    image: args.image,
                    cold: args.restore.source === "cold" ? { env, secretEnv, scratchSize: args.restore.scratchSize } : undefined,
                    roleArn: roleArnOf(args.destination),
                },
                { parent: this },
            );
            this.restoreJob = restore.jobName;
        }
        if (args.drill) {
            const drill = new PostgresDrill(
                `${name}-drill`,
                {
                    namespace: args.namespace,
                    release: args.release,
                    labels: drLabels("postgresql", "restore-drill"),
                    ...args.drill,
                    image: args.image,
                    cold: args.drill.source === "cold" ? destinationEnv(args.destination, args.prefix) : undefined,
                    roleArn: roleArnOf(args.destination),
                },
                { parent: this },
            );
            this.drillCronJob = drill.cronJobName;
        }
        this.registerOutputs({ offsiteCronJob: this.offsiteCronJob, restoreJob: this.restoreJob, drillCronJob: this.drillCronJob });
    }
}
