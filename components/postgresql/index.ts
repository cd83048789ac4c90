/**
 * PostgreSQL's DR beyond the chart's own dump CronJob (enabled through the release values): the
 * offsite copy of complete dumps to cold storage and, when asked for, a one-shot restore.
 */
import * as pulumi from "@pulumi/pulumi";
import { drLabels } from "../labels";
import { OffsiteCopy } from "../offsite";
import { PodAffinity } from "../offsite/cronjob-spec";
import { ColdDestination, DEFAULT_BWLIMIT, destinationEnv, roleArnOf } from "../offsite/destination";
import { rcloneLibraryFiles } from "../offsite/scripts";
import { readScript } from "./inline-command";
import { PostgresRestore } from "./restore-job";
import { BITNAMI_GROUP } from "./restore-job-spec";

export interface PostgresqlDrArgs {
    readonly namespace: string;
    readonly release: string;
    /** UTC cron of the offsite copy: hourly (config/dump-timing.ts), each complete dump once. */
    readonly offsiteSchedule: string;
    readonly destination: ColdDestination;
    /** Cold-storage prefix of the dumps. @default "postgresql/" */
    readonly prefix: string;
    /** rclone --bwlimit of the copy. @default "20M" */
    readonly bandwidthLimit?: string;
    readonly restore?: { readonly from: string; readonly source: "pvc" | "cold"; readonly jobs: number; readonly replace: boolean; readonly scratchSize: string };
}

/** Name of the offsite copy CronJob and of its ServiceAccount. */
export function postgresOffsiteName(release: string): string {
    return `${release}-dr-postgresql-offsite`;
}

/**
 * The dump PVC is ReadWriteOnce: a copy scheduled on another node than a running dump waits for
 * the volume until the dump ends. Preferring the dump pod's node (when one runs) lets both mount
 * it at once; the copy only ever reads complete dumps, so sharing is safe. Labels from Bitnami's
 * templates/backup/cronjob.yaml (common.labels.standard + component).
 */
export function besideRunningDump(release: string): PodAffinity {
    return {
        podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: {
                    labelSelector: { matchLabels: { "app.kubernetes.io/instance": release, "app.kubernetes.io/component": "pg_dumpall" } },
                    topologyKey: "kubernetes.io/hostname",
                },
            }],
        },
    };
}

export class PostgresqlDr extends pulumi.ComponentResource {
    readonly offsiteCronJob: pulumi.Output<string>;
    readonly restoreJob?: pulumi.Output<string>;

    constructor(name: string, args: PostgresqlDrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:postgresql:PostgresqlDr", name, {}, opts);
        const { env, secretEnv } = destinationEnv(args.destination, args.prefix);
        const offsite = new OffsiteCopy(`${name}-offsite`, {
            name: postgresOffsiteName(args.release),
            namespace: args.namespace,
            labels: drLabels("postgresql", "offsite-copy"),
            schedule: args.offsiteSchedule,
            script: "offsite-copy.sh",
            files: { "offsite-copy.sh": readScript("offsite-copy.sh"), ...rcloneLibraryFiles() },
            claims: [{ claimName: `${args.release}-postgresql-pgdumpall`, mountPath: "/backup/pgdump" }],
            env: { ...env, PGDUMP_DIR: "/backup/pgdump", DR_BWLIMIT: args.bandwidthLimit ?? DEFAULT_BWLIMIT },
            secretEnv,
            // Dumps are written by Bitnami's uid 1001 with fsGroup 1001, group-readable.
            supplementalGroups: [BITNAMI_GROUP],
            affinity: besideRunningDump(args.release),
            roleArn: roleArnOf(args.destination),
        }, { parent: this });
        this.offsiteCronJob = offsite.cronJobName;
        if (args.restore) {
            const restore = new PostgresRestore(`${name}-restore`, {
                namespace: args.namespace,
                release: args.release,
                labels: { "dr.qalita.io/element": "postgresql", "dr.qalita.io/action": "restore", "app.kubernetes.io/part-of": "qalita-dr" },
                ...args.restore,
                cold: args.restore.source === "cold" ? { env, secretEnv, scratchSize: args.restore.scratchSize } : undefined,
                roleArn: roleArnOf(args.destination),
            }, { parent: this });
            this.restoreJob = restore.jobName;
        }
        this.registerOutputs({ offsiteCronJob: this.offsiteCronJob });
    }
}
