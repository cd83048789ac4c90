/**
 * Names of the Kubernetes objects the stack creates that something else refers to by name: the
 * IRSA writer role trusts the jobs' ServiceAccounts, the jobs read the writer's and the crypt
 * Secrets, runbooks name the Jobs (`kubectl logs job/…`), the release reads the worker token's
 * Secret. Derived from the helm release name, like the chart's own objects (qalita-chart.ts).
 */

/** The PostgreSQL offsite copy: its CronJob, ServiceAccount and ConfigMap. */
export function postgresOffsiteName(release: string): string {
    return `${release}-dr-postgresql-offsite`;
}

/** The PostgreSQL restore: its ServiceAccount and ConfigMap (and prefix of the Job's name). */
export function postgresRestoreName(release: string): string {
    return `${release}-dr-restore`;
}

/** The PostgreSQL restore Job, named after the dump it restores: another dump, another Job. */
export function postgresRestoreJobName(release: string, from: string): string {
    return `${postgresRestoreName(release)}-${from.toLowerCase()}`;
}

/** The PostgreSQL restore drill: its CronJob, ServiceAccount and ConfigMap (docs/drills.md). */
export function drillCronJobName(release: string): string {
    return `${release}-dr-drill-postgresql`;
}

/** The SeaweedFS (`s3`) offsite copy: its CronJob, ServiceAccount and ConfigMap. */
export function seaweedfsOffsiteName(release: string): string {
    return `${release}-dr-s3-offsite`;
}

/** The agents' offsite copy: its CronJob, ServiceAccount and ConfigMap. */
export function agentsOffsiteName(release: string): string {
    return `${release}-dr-agents-offsite`;
}

/** The agents' restore: its ServiceAccount and ConfigMap (and prefix of the Job's name). */
export function agentsRestoreName(release: string): string {
    return `${release}-dr-agents-restore`;
}

/** The agents' restore Job, named after what it restores: another restore, another Job. */
export function agentsRestoreJobName(release: string, from: string): string {
    return `${agentsRestoreName(release)}-${from.toLowerCase()}`;
}

/** The Secret of the agents' crypt key (keys `password`, `salt`). */
export function agentsCryptSecretName(release: string): string {
    return `${release}-dr-agents-crypt`;
}

/** The Secret the stack creates from `secrets.workerToken`. */
export function workerTokenSecretName(release: string): string {
    return `${release}-dr-worker`;
}

/** The ConfigMap recording an element's accepted risk (contracts/labels.ts ACCEPTED_RISK_LABEL). */
export function acceptedRiskName(release: string, element: string): string {
    return `${release}-dr-accepted-risk-${element}`;
}

/** The backup writer's access-key Secret copy jobs read without IRSA. */
export const DEFAULT_WRITER_SECRET_NAME = "qalita-dr-backup-writer";

/** The PrometheusRule of the freshness alerts (docs/monitoring.md). */
export function backupAlertsName(release: string): string {
    return `${release}-dr-backup-freshness`;
}

/**
 * The ConfigMap each drill writes its last result to (data key: the element, value: the
 * `DRILL_RESULT` JSON); `npm run status` reads it. The drill's Role may update only this object.
 */
export function drillStatusConfigMapName(release: string): string {
    return `${release}-dr-drill-status`;
}

/** The Secret holding `monitoring.heartbeatUrl` (key HEARTBEAT_SECRET_KEY), read by every backup and drill pod. */
export function heartbeatSecretName(release: string): string {
    return `${release}-dr-heartbeat`;
}

/** The key of the heartbeat URL in heartbeatSecretName's Secret. */
export const HEARTBEAT_SECRET_KEY = "url";
