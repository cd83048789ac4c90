/**
 * Pure: the two CronJobs of the point-in-time recovery path — base backups into the archive PVC
 * (scripts/base-backup.sh, the release's PostgreSQL image) and the archive's copy to cold storage
 * (scripts/pitr-offsite.sh, through the offsite copy's own builder: SSE-KMS with the stack's key,
 * read-only mount, credentials by secretKeyRef) — both beside the receiver, as the chart's uid.
 */
import { STARTING_DEADLINE_HOURS } from "../../../config/dump-timing";
import { DEFAULT_BWLIMIT } from "../../../config/catalog";
import { drLabels } from "../../../contracts/labels";
import { PITR_MOUNT, PITR_PASSWORD_KEY, PITR_ROLE, pitrName, pitrOffsiteName, pitrRoleSecretName } from "../../../contracts/pitr";
import { postgresqlName, type ResolvedImage } from "../../../contracts/qalita-chart";
import { jobSpec, scriptContainer } from "../../jobs/pod";
import { copyCronJobSpec, ElementCopyArgs, ElementCopySettings } from "../../offsite/cronjob-spec";
import { destinationEnv } from "../../offsite/destination";
import { archiveMount, archiveVolume, asPostgresUser, primaryEnv } from "./pod";
import { besideReceiver } from "./receiver-spec";

/** A base backup of a large database plus its verification; past this, the run is killed and retried at the next schedule. */
export const BASE_BACKUP_DEADLINE_HOURS = 6;

export interface BaseBackupArgs {
    readonly release: string;
    readonly image: ResolvedImage;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** UTC cron. */
    readonly schedule: string;
    readonly keepBaseBackups: number;
    /** A point-in-time restore is under way. */
    readonly suspend: boolean;
}

export function baseBackupCronJobSpec(args: BaseBackupArgs) {
    const labels = drLabels("postgresql", "pitr");
    const spec = jobSpec({
        labels,
        backoffLimit: 1,
        activeDeadlineSeconds: BASE_BACKUP_DEADLINE_HOURS * 3600,
        pod: {
            serviceAccountName: args.serviceAccountName,
            configMapName: args.configMapName,
            imagePullSecrets: args.image.pullSecrets,
            affinity: besideReceiver(),
            containers: [
                scriptContainer({
                    name: "base-backup",
                    image: args.image.image,
                    rclone: false,
                    script: "base-backup.sh",
                    env: { ...primaryEnv(postgresqlName(args.release), PITR_ROLE), DR_PITR_DIR: PITR_MOUNT, DR_PITR_KEEP: String(args.keepBaseBackups) },
                    secretEnv: [{ name: "PGPASSWORD", secretName: pitrRoleSecretName(args.release), key: PITR_PASSWORD_KEY }],
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
                    mounts: [archiveMount(false)],
                }),
            ],
            volumes: [archiveVolume(args.release, false)],
        },
    });
    return {
        schedule: args.schedule,
        suspend: args.suspend,
        // Two base backups at once only double the load; a run missed during an outage still happens.
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: STARTING_DEADLINE_HOURS * 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { metadata: { labels }, spec: { ...spec, template: { ...spec.template, spec: asPostgresUser(spec.template.spec) } } },
    };
}

export interface PitrCopySettings extends ElementCopySettings {
    /** A point-in-time restore is under way. */
    readonly suspend: boolean;
}

/** The copy's arguments for the offsite builder: the archive PVC, the `<element prefix>/pitr` prefix. */
export function pitrCopyArgs(settings: PitrCopySettings): ElementCopyArgs {
    const { env, secretEnv } = destinationEnv(settings.destination, settings.prefix);
    return {
        name: pitrOffsiteName(settings.release),
        namespace: settings.namespace,
        labels: drLabels("postgresql", "pitr-offsite"),
        schedule: settings.schedule,
        script: "pitr-offsite.sh",
        claims: [{ claimName: pitrName(settings.release), mountPath: PITR_MOUNT }],
        env: { ...env, DR_PITR_DIR: PITR_MOUNT, DR_BWLIMIT: settings.bandwidthLimit ?? DEFAULT_BWLIMIT },
        secretEnv,
        affinity: besideReceiver(),
    };
}

/** The copy CronJob: the offsite builder's, run as the chart's uid (the archive's files are 0600), suspended during a restore. */
export function pitrCopyCronJobSpec(args: ElementCopyArgs & { serviceAccountName: string; configMapName: string; suspend: boolean }) {
    const { suspend, ...copy } = args;
    const spec = copyCronJobSpec(copy);
    const job = spec.jobTemplate.spec;
    return { ...spec, suspend, jobTemplate: { ...spec.jobTemplate, spec: { ...job, template: { ...job.template, spec: asPostgresUser(job.template.spec) } } } };
}
