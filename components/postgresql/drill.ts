/**
 * The scheduled PostgreSQL restore drill (config `drills.postgresql`, docs/drills.md): its
 * CronJob, ServiceAccount (trusted by the IRSA writer role: it reads the bucket), the ConfigMap
 * of the scripts it runs, and where it reports: the status ConfigMap, with the Role and
 * RoleBinding that let its report container write it and emit Events (drill-status-spec.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "@pulumi/kubernetes/batch/v1";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import { Role, RoleBinding } from "@pulumi/kubernetes/rbac/v1";
import { drillCronJobName } from "../../contracts/names";
import { jobIdentity } from "../jobs/identity";
import { coldStorageJobFiles } from "../offsite/scripts";
import { scriptFiles } from "../scripts";
import { drillCronJobSpec, DrillCronJobArgs } from "./drill-spec";
import { drillStatusObjects } from "./drill-status-spec";

export interface PostgresDrillArgs extends Omit<DrillCronJobArgs, "serviceAccountName" | "configMapName"> {
    readonly namespace: string;
    /** IAM role for IRSA when the dump is fetched from cold storage. */
    readonly roleArn?: pulumi.Input<string>;
}

/** The ConfigMap files of the drill: drill.sh and restore.sh, and for a cold source the fetch with the shell it sources. */
export function postgresDrillFiles(source: "cold" | "pvc"): Record<string, string> {
    const files = ["drill.sh", "restore.sh", "drill-report.sh"];
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
        const status = drillStatusObjects({ ...args, serviceAccountName: identity.serviceAccountName });
        // The drill owns the data: `pulumi up` never puts back an empty ConfigMap over its last result.
        const statusConfigMap = new ConfigMap(`${name}-status`, status.configMap, { parent: this, ignoreChanges: ["data"] });
        const role = new Role(`${name}-report-role`, status.role, { parent: this });
        const binding = new RoleBinding(`${name}-report-binding`, status.roleBinding, { parent: this, dependsOn: [role, ...identity.dependsOn] });
        const cronJob = new CronJob(
            `${name}-cronjob`,
            {
                metadata: { name: objectName, namespace: args.namespace, labels: args.labels },
                spec: drillCronJobSpec({ ...args, serviceAccountName: identity.serviceAccountName, configMapName: identity.configMapName }),
            },
            { parent: this, dependsOn: [...identity.dependsOn, statusConfigMap, binding] },
        );
        this.cronJobName = cronJob.metadata.name;
        this.registerOutputs({ cronJobName: this.cronJobName });
    }
}
