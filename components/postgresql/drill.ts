/**
 * The scheduled PostgreSQL restore drill (config `drills.postgresql`, docs/drills.md): its
 * CronJob, ServiceAccount (trusted by the IRSA writer role: it reads the bucket) and the
 * ConfigMap of the scripts it runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "@pulumi/kubernetes/batch/v1";
import { drillCronJobName } from "../../contracts/names";
import { jobIdentity } from "../jobs/identity";
import { coldStorageJobFiles } from "../offsite/scripts";
import { scriptFiles } from "../scripts";
import { drillCronJobSpec, DrillCronJobArgs } from "./drill-spec";

export interface PostgresDrillArgs extends Omit<DrillCronJobArgs, "serviceAccountName" | "configMapName"> {
    readonly namespace: string;
    /** IAM role for IRSA when the dump is fetched from cold storage. */
    readonly roleArn?: pulumi.Input<string>;
}

/** The ConfigMap files of the drill: drill.sh and restore.sh, and for a cold source the fetch with the shell it sources. */
export function postgresDrillFiles(source: "cold" | "pvc"): Record<string, string> {
    const files = ["drill.sh", "restore.sh"];
    return source === "cold" ? coldStorageJobFiles("postgresql", [...files, "drill-fetch.sh", "fetch-dump.sh"]) : scriptFiles("postgresql", files);
}

export class PostgresDrill extends pulumi.ComponentResource {
    readonly cronJobName: pulumi.Output<string>;

    constructor(name: string, args: PostgresDrillArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:postgresql:Drill", name, {}, opts);
        const objectName = drillCronJobName(args.release);
        const identity = jobIdentity(this, name, {
            objectName,
            namespace: args.namespace,
            labels: args.labels,
            roleArn: args.source === "cold" ? args.roleArn : undefined,
            files: postgresDrillFiles(args.source),
        });
        const cronJob = new CronJob(
            `${name}-cronjob`,
            {
                metadata: { name: objectName, namespace: args.namespace, labels: args.labels },
                spec: drillCronJobSpec({ ...args, serviceAccountName: identity.serviceAccountName, configMapName: identity.configMapName }),
            },
            { parent: this, dependsOn: identity.dependsOn },
        );
        this.cronJobName = cronJob.metadata.name;
        this.registerOutputs({ cronJobName: this.cronJobName });
    }
}
