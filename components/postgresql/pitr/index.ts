/**
 * Point-in-time recovery of the release's PostgreSQL (docs/pitr.md): the archive PVC, the
 * replication role (its password generated once, a Pulumi secret, in a Secret) and the Job that
 * creates it on the running server, the WAL receiver, base backups on a schedule, their copy to
 * cold storage and, when asked for, a restore to a point in time. The chart values it needs are
 * the release's (values.ts, composed by components/qalita-release/values.ts); its alerts go in
 * the stack's PrometheusRule (alerts.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { Deployment } from "@pulumi/kubernetes/apps/v1";
import { CronJob, Job } from "@pulumi/kubernetes/batch/v1";
import { PersistentVolumeClaim, Secret } from "@pulumi/kubernetes/core/v1";
import { RandomPassword } from "@pulumi/random";
import type { PostgresqlPitrSpec } from "../../../config/spec";
import { drLabels } from "../../../contracts/labels";
import {
    PITR_PASSWORD_KEY,
    pitrBaseBackupName,
    pitrName,
    pitrOffsiteName,
    pitrReceiverName,
    pitrRestoreJobName,
    pitrRestoreName,
    pitrRoleJobName,
    pitrRoleSecretName,
} from "../../../contracts/pitr";
import type { ResolvedImage } from "../../../contracts/qalita-chart";
import { jobIdentity } from "../../jobs/identity";
import { ColdDestination, destinationEnv, roleArnOf } from "../../offsite/destination";
import { RESTORE_DEADLINE_HOURS } from "../restore-job-spec";
import { baseBackupCronJobSpec, pitrCopyArgs, pitrCopyCronJobSpec } from "./cronjobs-spec";
import { pitrRestoreJobSpec, roleJobSpec } from "./jobs-spec";
import { pitrFiles } from "./pod";
import { receiverDeploymentSpec, receiverPodLabels } from "./receiver-spec";

export interface PostgresqlPitrArgs {
    readonly namespace: string;
    readonly release: string;
    readonly image: ResolvedImage;
    readonly destination: ColdDestination;
    readonly pitr: PostgresqlPitrSpec;
}

export class PostgresqlPitr extends pulumi.ComponentResource {
    readonly receiverDeployment: pulumi.Output<string>;
    readonly baseBackupCronJob: pulumi.Output<string>;
    readonly offsiteCronJob: pulumi.Output<string>;
    readonly restoreJob?: pulumi.Output<string>;

    constructor(name: string, args: PostgresqlPitrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:postgresql:PostgresqlPitr", name, {}, opts);
        const { namespace, release, pitr } = args;
        const restoring = pitr.restore !== undefined;
        const labels = drLabels("postgresql", "pitr");
        const child = { parent: this };

        const claim = new PersistentVolumeClaim(
            `${name}-archive`,
            {
                metadata: { name: pitrName(release), namespace, labels },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    resources: { requests: { storage: pitr.storageSize } },
                    ...(pitr.storageClass ? { storageClassName: pitr.storageClass } : {}),
                },
            },
            // The archive is what a restore needs when everything else is gone: never deleted by an update.
            { ...child, retainOnDelete: true },
        );
        // Alphanumeric: it lands in env values and a SQL literal.
        const password = new RandomPassword(`${name}-replication-password`, { length: 32, special: false }, child).result;
        const secret = new Secret(
            `${name}-replication`,
            {
                metadata: { name: pitrRoleSecretName(release), namespace, labels },
                type: "Opaque",
                stringData: { [PITR_PASSWORD_KEY]: pulumi.secret(password) },
            },
            child,
        );

        const roleIdentity = jobIdentity(this, `${name}-role`, {
            objectName: pitrRoleJobName(release),
            namespace,
            labels,
            files: pitrFiles(["replication-role.sh"]),
        });
        // pulumi up waits for it: the receiver and the base backups can log in once it is done.
        const role = new Job(
            `${name}-role-job`,
            {
                metadata: { name: pitrRoleJobName(release), namespace, labels },
                spec: roleJobSpec({ labels, release, image: args.image, ...roleIdentity }),
            },
            { ...child, dependsOn: [...roleIdentity.dependsOn, secret] },
        );

        const receiverIdentity = jobIdentity(this, `${name}-receiver`, {
            objectName: pitrReceiverName(release),
            namespace,
            labels,
            files: pitrFiles(["wal-receiver.sh", "base-backup.sh"]),
        });
        const receiver = new Deployment(
            `${name}-receiver`,
            {
                metadata: { name: pitrReceiverName(release), namespace, labels: receiverPodLabels() },
                spec: receiverDeploymentSpec({ release, image: args.image, ...receiverIdentity, keepBaseBackups: pitr.keepBaseBackups, paused: restoring }),
            },
            // Scaled to 0 during a restore: a rollout that never becomes ready must not block pulumi up.
            { ...child, dependsOn: [...receiverIdentity.dependsOn, claim, role] },
        );

        const baseIdentity = jobIdentity(this, `${name}-base-backup`, {
            objectName: pitrBaseBackupName(release),
            namespace,
            labels,
            files: pitrFiles(["base-backup.sh"]),
        });
        const baseBackup = new CronJob(
            `${name}-base-backup`,
            {
                metadata: { name: pitrBaseBackupName(release), namespace, labels },
                spec: baseBackupCronJobSpec({
                    release,
                    image: args.image,
                    ...baseIdentity,
                    schedule: pitr.baseBackupSchedule.utcCron,
                    keepBaseBackups: pitr.keepBaseBackups,
                    suspend: restoring,
                }),
            },
            { ...child, dependsOn: [...baseIdentity.dependsOn, receiver] },
        );

        const copy = pitrCopyArgs({
            namespace,
            release,
            schedule: pitr.copyUtcCron,
            destination: args.destination,
            prefix: pitr.coldStoragePrefix,
            suspend: restoring,
        });
        const copyIdentity = jobIdentity(this, `${name}-offsite`, {
            objectName: pitrOffsiteName(release),
            namespace,
            labels: copy.labels,
            files: pitrFiles(["pitr-offsite.sh"], true),
            roleArn: roleArnOf(args.destination),
        });
        const offsite = new CronJob(
            `${name}-offsite`,
            {
                metadata: { name: copy.name, namespace, labels: copy.labels },
                spec: pitrCopyCronJobSpec({ ...copy, ...copyIdentity, suspend: restoring }),
            },
            { ...child, dependsOn: [...copyIdentity.dependsOn, receiver] },
        );

        if (pitr.restore) {
            const restoreLabels = drLabels({ element: "postgresql", action: "restore" });
            const cold = pitr.restore.archive === "cold" ? destinationEnv(args.destination, pitr.coldStoragePrefix) : undefined;
            const identity = jobIdentity(this, `${name}-restore`, {
                objectName: pitrRestoreName(release),
                namespace,
                labels: restoreLabels,
                files: pitrFiles(["pitr-restore.sh", "wal-fetch.sh", "pitr-fetch.sh"], true),
                roleArn: cold ? roleArnOf(args.destination) : undefined,
            });
            const job = new Job(
                `${name}-restore-job`,
                {
                    metadata: { name: pitrRestoreJobName(release, pitr.restore.targetTime), namespace, labels: restoreLabels },
                    spec: pitrRestoreJobSpec({ labels: restoreLabels, release, image: args.image, ...identity, targetTime: pitr.restore.targetTime, cold }),
                },
                {
                    ...child,
                    // After the receiver and the CronJobs let go of the archive PVC.
                    dependsOn: [...identity.dependsOn, receiver, baseBackup, offsite],
                    customTimeouts: { create: `${RESTORE_DEADLINE_HOURS}h`, update: `${RESTORE_DEADLINE_HOURS}h` },
                },
            );
            this.restoreJob = job.metadata.name;
        }
        this.receiverDeployment = receiver.metadata.name;
        this.baseBackupCronJob = baseBackup.metadata.name;
        this.offsiteCronJob = offsite.metadata.name;
        this.registerOutputs({
            receiverDeployment: this.receiverDeployment,
            baseBackupCronJob: this.baseBackupCronJob,
            offsiteCronJob: this.offsiteCronJob,
            restoreJob: this.restoreJob,
        });
    }
}
