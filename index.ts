/**
 * Composition root: config → DR spec → components → stack outputs. Pure wiring: every value comes
 * from the DrSpec (config/resolve.ts) or the secrets read beside it (config/from-pulumi.ts), both
 * before any resource is registered; components never read config.
 */
import { drLabels } from "./contracts/labels";
import {
    agentsOffsiteName,
    agentsRestoreName,
    backupAlertsName,
    DEFAULT_WRITER_SECRET_NAME,
    drillCronJobName,
    heartbeatSecretName,
    postgresOffsiteName,
    postgresRestoreName,
    seaweedfsOffsiteName,
} from "./contracts/names";
import { pitrOffsiteName, pitrRestoreName } from "./contracts/pitr";
import * as pulumi from "@pulumi/pulumi";
import { readStackSecrets, resolveStack } from "./config/from-pulumi";
import { foreignKeyWarnings } from "./config/foreign-keys";
import { QalitaRelease } from "./components/qalita-release";
import { PinnedSecrets } from "./components/qalita-release/pinned-secrets";
import { releaseValues } from "./components/qalita-release/values";
import { AgentsDr, WorkerToken } from "./components/agents";
import { ColdStorage } from "./components/cold-storage";
import { ColdDestination } from "./components/offsite/destination";
import { AcceptedRisks, acceptedRisks } from "./components/accepted-risks";
import { buildPosture } from "./components/posture";
import { BackupMonitoring } from "./components/monitoring";
import { HeartbeatSecret } from "./components/monitoring/heartbeat";
import { kubePrometheusStackValuesYaml } from "./components/monitoring/ksm-config";
import { dumpBudgetSeconds, monitoredPaths } from "./components/monitoring/paths";
import { freshnessAlerts, ruleGroups } from "./components/monitoring/rules-spec";
import { PostgresqlDr } from "./components/postgresql";
import { PostgresqlPitr } from "./components/postgresql/pitr";
import { pitrRuleGroup } from "./components/postgresql/pitr/alerts";
import { SeaweedfsDr } from "./components/seaweedfs";
import { PvcRestore, VolumeSnapshots } from "./components/snapshots";
import { plannedSchedules } from "./components/snapshots/plan";

// Throws a ConfigError listing every problem: nothing below runs on invalid config.
const spec = resolveStack();
// A key in a namespace nothing reads (`qalita:snapshots`) would be ignored without a word.
for (const warning of foreignKeyWarnings(Object.keys(pulumi.runtime.allConfig()))) void pulumi.log.warn(warning);
const secrets = readStackSecrets(spec);

// Adopting an installed release: its secrets are read from the cluster, never generated.
const pinned = new PinnedSecrets(
    "qalita-secrets",
    secrets.adopted,
    spec.adopt ? { namespace: spec.namespace, release: spec.release } : undefined,
    secrets.secretReleaseValues,
);

// A pod whose env names a missing Secret never starts, so the token Secret comes before the release.
const worker = spec.agents.worker;
const workerToken =
    worker?.token.kind === "stack" && secrets.workerToken
        ? new WorkerToken("worker-token", {
              namespace: spec.namespace,
              secretName: worker.token.secretName,
              key: worker.token.key,
              token: secrets.workerToken,
              labels: drLabels({ element: "agents" }),
          })
        : undefined;

const qalita = new QalitaRelease(
    "qalita",
    {
        namespace: spec.namespace,
        releaseName: spec.release,
        chartVersion: spec.chartVersion,
        values: releaseValues(spec),
        manage: spec.manageRelease,
        adopt: spec.adopt,
        secretValuesFile: pinned.valuesFile,
    },
    { dependsOn: workerToken ? [workerToken] : [] },
);

// Service accounts of the jobs that write to (or restore or drill from) the bucket: the only
// identities the IRSA writer role trusts.
const writerServiceAccounts = [
    postgresOffsiteName(spec.release),
    postgresRestoreName(spec.release),
    drillCronJobName(spec.release),
    seaweedfsOffsiteName(spec.release),
    agentsOffsiteName(spec.release),
    agentsRestoreName(spec.release),
    ...(spec.postgresqlPitr ? [pitrOffsiteName(spec.release), pitrRestoreName(spec.release)] : []),
];
const coldStorage =
    spec.coldStorage.elements.length > 0
        ? new ColdStorage("cold-storage", {
              ...spec.coldStorage,
              elements: spec.coldStorage.elements.map(({ element, prefix, rule }) => ({ element, prefix, rule })),
              namespace: spec.namespace,
              writerServiceAccounts,
          })
        : undefined;
const destination: ColdDestination = {
    bucket: spec.coldStorage.bucketName,
    region: spec.awsRegion,
    // No bucket, no copy job: nothing reads the key then.
    kmsKeyArn: coldStorage?.kmsKeyArn ?? "",
    credentials: coldStorage?.writerRoleArn ? { kind: "irsa", roleArn: coldStorage.writerRoleArn } : { kind: "secret", secretName: DEFAULT_WRITER_SECRET_NAME },
};

const afterRelease = qalita.release ? [qalita.release] : [];
const afterBucket = [...afterRelease, ...(coldStorage ? [coldStorage] : [])];

// Each element's offsite copy: its schedule and cold-storage prefix as the DrSpec resolved them.
const pg = spec.elements.postgresql;
const postgresql =
    pg.offsiteUtcCron && pg.coldStoragePrefix
        ? new PostgresqlDr(
              "postgresql",
              {
                  namespace: spec.namespace,
                  release: spec.release,
                  offsiteSchedule: pg.offsiteUtcCron,
                  destination,
                  prefix: pg.coldStoragePrefix,
                  dumpMaxAgeSeconds: dumpBudgetSeconds(spec),
                  image: spec.postgresqlImage,
                  restore: spec.restore.postgresql,
                  drill: spec.drills.postgresql && {
                      schedule: spec.drills.postgresql.schedule.utcCron,
                      source: spec.drills.postgresql.source,
                      scratchSize: spec.drills.postgresql.scratchSize,
                      pushgatewayUrl: spec.drills.pushgatewayUrl,
                  },
              },
              { dependsOn: afterBucket },
          )
        : undefined;

// Point-in-time recovery (docs/pitr.md), off unless elements.postgresql.pitr.enabled.
const pitr =
    spec.postgresqlPitr && pg.coldStoragePrefix
        ? new PostgresqlPitr(
              "postgresql-pitr",
              { namespace: spec.namespace, release: spec.release, image: spec.postgresqlImage, destination, pitr: spec.postgresqlPitr },
              { dependsOn: afterBucket },
          )
        : undefined;

const snapshotSchedules = plannedSchedules({
    namespace: spec.namespace,
    release: spec.release,
    elements: spec.elements,
    snapshots: spec.snapshots,
    postgresqlDump: spec.postgresqlDump,
});
const snapshots = new VolumeSnapshots(
    "snapshots",
    { namespace: spec.namespace, schedules: snapshotSchedules, snapshots: spec.snapshots },
    { dependsOn: afterRelease },
);

const s3 = spec.elements.s3;
const seaweedfs =
    s3.offsiteUtcCron && s3.coldStoragePrefix
        ? new SeaweedfsDr(
              "seaweedfs",
              { namespace: spec.namespace, release: spec.release, schedule: s3.offsiteUtcCron, destination, prefix: s3.coldStoragePrefix },
              { dependsOn: afterBucket },
          )
        : undefined;

const agentsElement = spec.elements.agents;
const agents =
    agentsElement.offsiteUtcCron && agentsElement.coldStoragePrefix && worker
        ? new AgentsDr(
              "agents",
              {
                  namespace: spec.namespace,
                  release: spec.release,
                  schedule: agentsElement.offsiteUtcCron,
                  destination,
                  prefix: agentsElement.coldStoragePrefix,
                  bandwidthLimit: spec.agents.bandwidthLimit,
                  workerPodLabels: worker.podLabels,
                  restore: spec.agents.restore,
                  crypt: secrets.agentsCrypt,
              },
              { dependsOn: afterBucket },
          )
        : undefined;

const pvcRestore = spec.restore.pvc
    ? new PvcRestore(
          "restore-pvc",
          { namespace: spec.namespace, release: spec.release, restore: spec.restore.pvc, selection: spec.snapshots.selections[spec.restore.pvc.pvcSet] },
          { dependsOn: afterRelease },
      )
    : undefined;

// The dead-man's switch: the copies and the drill read its URL from this Secret, when it exists.
if (secrets.heartbeatUrl) {
    new HeartbeatSecret("heartbeat", {
        namespace: spec.namespace,
        secretName: heartbeatSecretName(spec.release),
        url: secrets.heartbeatUrl,
        labels: drLabels({ component: "heartbeat" }),
    });
}

// Freshness alerts of every protection path (docs/monitoring.md): the posture shows the same ones.
const alerts = spec.monitoring.enabled ? freshnessAlerts(monitoredPaths(spec, snapshotSchedules), spec.monitoring) : [];
const monitoring =
    alerts.length > 0
        ? new BackupMonitoring("monitoring", {
              namespace: spec.monitoring.namespace,
              ruleName: backupAlertsName(spec.release),
              ruleLabels: spec.monitoring.ruleLabels,
              groups: [
                  ...ruleGroups(alerts),
                  ...(spec.postgresqlPitr
                      ? [
                            pitrRuleGroup({
                                namespace: spec.namespace,
                                release: spec.release,
                                maxSlotWalKeepSize: spec.postgresqlPitr.maxSlotWalKeepSize,
                                runbookBaseUrl: spec.monitoring.runbookBaseUrl,
                            }),
                        ]
                      : []),
              ],
          })
        : undefined;

// Accepted risks, recorded beside what they leave unprotected: the policy pack reports them as advisory, with their reason.
const risks = acceptedRisks(Object.values(spec.elements));
if (risks.length > 0) new AcceptedRisks("accepted-risks", { namespace: spec.namespace, release: spec.release, risks }, { dependsOn: afterRelease });

const posture = buildPosture(spec, snapshotSchedules);

export const drPosture = posture.rows;
/** DR gaps the stack cannot close by itself (SeaweedFS master on a hostPath, …). */
export const drWarnings = posture.warnings;
export const releaseValuesYaml = qalita.valuesYaml;
/**
 * The pinned release secrets as a helm values file (a secret): for plain helm or Argo CD,
 * `pulumi stack output --show-secrets pinnedSecretValuesYaml > qalita-secret-values.yaml`.
 */
export const pinnedSecretValuesYaml = pinned.valuesYaml;
export const coldStorageBucket = coldStorage
    ? {
          name: coldStorage.bucketName,
          arn: coldStorage.bucketArn,
          kmsKeyArn: coldStorage.kmsKeyArn,
          prefixes: coldStorage.prefixes,
          writer: coldStorage.writerCredentials,
      }
    : null;
/** kubectl names of the PostgreSQL jobs: `kubectl -n <namespace> logs job/<restore>`. */
export const postgresqlJobs = {
    offsiteCronJob: postgresql?.offsiteCronJob ?? null,
    restoreJob: postgresql?.restoreJob ?? null,
    drillCronJob: postgresql?.drillCronJob ?? null,
    // Point-in-time recovery's objects (docs/pitr.md), only with it on.
    ...(pitr
        ? {
              pitr: {
                  receiverDeployment: pitr.receiverDeployment,
                  baseBackupCronJob: pitr.baseBackupCronJob,
                  offsiteCronJob: pitr.offsiteCronJob,
                  restoreJob: pitr.restoreJob ?? null,
              },
          }
        : {}),
};
export const snapshotSchedulesDeployed = snapshots.scheduleNames;
export const seaweedfsOffsiteCronJob = seaweedfs?.offsiteCronJob ?? null;
export const restoredPvc = pvcRestore?.pvcName ?? null;
export const agentsJobs = { offsiteCronJob: agents?.offsiteCronJob ?? null, restoreJob: agents?.restoreJob ?? null };
/** The agents' backup encryption key (a secret): keep a copy in your vault, or backups are unreadable without this stack's state. */
export const agentsCryptKey = agents?.cryptKey ?? null;
/** The PrometheusRule of the freshness alerts (each path's alerts: drPosture[].paths[].monitoring). */
export const freshnessAlertRule = monitoring?.ruleName ?? null;
/**
 * kube-prometheus-stack values that make kube-state-metrics export the SnapshotSchedules' last
 * snapshot time, which their alerts read: `pulumi stack output kubeStateMetricsValuesYaml` (docs/monitoring.md).
 */
export const kubeStateMetricsValuesYaml = monitoring && snapshotSchedules.length > 0 ? kubePrometheusStackValuesYaml() : null;
