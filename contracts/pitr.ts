/**
 * Point-in-time recovery of PostgreSQL (docs/pitr.md): the names of what the stack deploys for it
 * and the facts its scripts, the restore Job, the alerts and the runbook share — the replication
 * role and slot, the layout of the archive on its PVC and in the bucket. Derived from the helm
 * release name like the chart's own objects (qalita-chart.ts).
 */

/** The PVC of the WAL archive and base backups, and the prefix of the other objects' names. */
export function pitrName(release: string): string {
    return `${release}-dr-pitr`;
}

/** The WAL receiver's Deployment, ServiceAccount and ConfigMap. */
export function pitrReceiverName(release: string): string {
    return `${pitrName(release)}-wal-receiver`;
}

/** The base-backup CronJob, ServiceAccount and ConfigMap. */
export function pitrBaseBackupName(release: string): string {
    return `${pitrName(release)}-base-backup`;
}

/** The CronJob copying WAL and base backups to cold storage, its ServiceAccount and ConfigMap. */
export function pitrOffsiteName(release: string): string {
    return `${pitrName(release)}-offsite`;
}

/** The Job creating (or updating) the replication role on the release's PostgreSQL. */
export function pitrRoleJobName(release: string): string {
    return `${pitrName(release)}-role`;
}

/** The Secret holding the replication role's password (key `password`). */
export function pitrRoleSecretName(release: string): string {
    return `${pitrName(release)}-replication`;
}

/** The point-in-time restore: its ServiceAccount and ConfigMap (and prefix of the Job's name). */
export function pitrRestoreName(release: string): string {
    return `${pitrName(release)}-restore`;
}

/** The restore Job, named after its target: another target, another Job. */
export function pitrRestoreJobName(release: string, targetTime: string): string {
    const target = targetTime === "latest" ? "latest" : new Date(targetTime).toISOString().replace(/[-:]|\.\d{3}/g, "");
    return `${pitrRestoreName(release)}-${target.toLowerCase()}`;
}

/** The role the receiver and the base backups connect as: REPLICATION and LOGIN, nothing else. */
export const PITR_ROLE = "qalita_dr_replication";
/** The physical replication slot of the receiver: the primary keeps the WAL it has not received. */
export const PITR_SLOT = "qalita_dr_pitr";
/**
 * The receiver's `application_name` (PGAPPNAME): how the primary's `synchronous_standby_names`
 * names it when commits wait for the archive (`pitr.synchronous`), and how it shows in
 * pg_stat_replication.
 */
export const PITR_APPLICATION_NAME = "qalita_dr_pitr_receiver";
/** Key of the password in the role's Secret. */
export const PITR_PASSWORD_KEY = "password";

/** Under the PostgreSQL element's cold-storage prefix: `postgresql/pitr/`. */
export const PITR_PREFIX = "pitr/";

/**
 * Where the PITR pods mount the archive PVC. Its layout (the scripts' headers say more):
 * `CURRENT` names the generation the receiver writes; `<generation>/SYSTEM` holds the server's
 * system identifier and timeline; `<generation>/wal/` the segments (`*.gz`, the one being
 * received `*.gz.partial`) and history files; `<generation>/base/<id>/` each verified base
 * backup. The bucket holds the same tree under PITR_PREFIX.
 */
export const PITR_MOUNT = "/pitr";

/** The uid, gid and fsGroup of the chart's PostgreSQL pods: the PITR pods read and write files as it does. */
export const POSTGRES_UID = 1001;

/**
 * Where the Bitnami chart mounts the primary's data PVC (`primary.persistence.mountPath`) and
 * its data directory inside (`PGDATA`), postgresql 12.12.10.
 */
export const BITNAMI_DATA_MOUNT = "/bitnami/postgresql";
export const BITNAMI_PGDATA = `${BITNAMI_DATA_MOUNT}/data`;

/** The metric the release's postgres-exporter exports of the slot (a custom query the stack adds to the chart's values). */
export const PITR_SLOT_METRIC = "pg_dr_pitr_slot";
