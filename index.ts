/**
 * Composition root: config → DR spec → components → stack outputs. Components never read config;
 * this file is the only place that does, and it does so before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { drLabels } from "./contracts/labels";
import { agentsOffsiteName, agentsRestoreName, DEFAULT_WRITER_SECRET_NAME, postgresOffsiteName, postgresRestoreName, seaweedfsOffsiteName } from "./contracts/names";
import { WORKER_TOKEN_SECRET } from "./config/agents-config";
import { resolveStack } from "./config/from-pulumi";
import { buildPosture, PostureContext } from "./config/posture";
import { QalitaRelease } from "./components/qalita-release";
import { AdoptedSecrets } from "./components/qalita-release/live-secrets";
import { PinnedSecrets } from "./components/qalita-release/pinned-secrets";
import { releaseValues } from "./components/qalita-release/values";
import { AgentsDr, WorkerToken } from "./components/agents";
import { ColdStorage } from "./components/cold-storage";
import { ColdDestination } from "./components/offsite/destination";
import { PostgresqlDr } from "./components/postgresql";
import { SeaweedfsDr } from "./components/seaweedfs";
import { PvcRestore, VolumeSnapshots } from "./components/snapshots";
import { plannedSchedules } from "./components/snapshots/plan";
import { snapshotPosture } from "./components/snapshots/posture";

// Throws a ConfigError listing every problem: nothing below runs on invalid config.
const spec = resolveStack();

const configuredSecrets = new pulumi.Config().getSecretObject<Record<string, string>>("secrets");
const adopted: AdoptedSecrets = Object.fromEntries(spec.adoptedSecrets.map((key) => [key, configuredSecrets!.apply((secrets) => secrets[key])]));
// Adopting an installed release: its secrets are read from the cluster, never generated.
const userSecretValues = new pulumi.Config().getSecretObject<Record<string, unknown>>("secretReleaseValues");
const pinned = new PinnedSecrets("qalita-secrets", adopted, spec.adopt ? { namespace: spec.namespace, release: spec.release } : undefined, userSecretValues);

// A pod whose env names a missing Secret never starts, so the token Secret comes before the release.
const worker = spec.agents.worker;
const workerToken = worker?.token.kind === "stack"
    ? new WorkerToken("worker-token", {
        namespace: spec.namespace,
        secretName: worker.token.secretName,
        key: worker.token.key,
        token: configuredSecrets!.apply((secrets) => secrets[WORKER_TOKEN_SECRET]),
        labels: drLabels({ element: "agents" }),
    })
    : undefined;

const qalita = new QalitaRelease("qalita", {
    namespace: spec.namespace,
    releaseName: spec.release,
    chartVersion: spec.chartVersion,
    values: releaseValues(spec),
    manage: spec.manageRelease,
    adopt: spec.adopt,
    secretValuesFile: pinned.valuesFile,
}, { dependsOn: workerToken ? [workerToken] : [] });

// Service accounts of the jobs that write to (or restore from) the bucket: the only identities
// the IRSA writer role trusts.
const writerServiceAccounts = [
    postgresOffsiteName(spec.release), postgresRestoreName(spec.release), seaweedfsOffsiteName(spec.release),
    agentsOffsiteName(spec.release), agentsRestoreName(spec.release),
];
const coldStorage = spec.coldStorage.elements.length > 0
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
    credentials: coldStorage?.writerRoleArn
        ? { kind: "irsa", roleArn: coldStorage.writerRoleArn }
        : { kind: "secret", secretName: DEFAULT_WRITER_SECRET_NAME },
};

const afterRelease = qalita.release ? [qalita.release] : [];
const afterBucket = [...afterRelease, ...(coldStorage ? [coldStorage] : [])];

const postgresql = spec.elements.postgresql.enabled && spec.postgresqlDump.offsiteUtcCron
    ? new PostgresqlDr("postgresql", {
        namespace: spec.namespace,
        release: spec.release,
        offsiteSchedule: spec.postgresqlDump.offsiteUtcCron,
        destination,
        prefix: "postgresql/",
        image: spec.postgresqlImage,
        restore: spec.restore.postgresql,
    }, { dependsOn: afterBucket })
    : undefined;

const snapshotSchedules = plannedSchedules({ namespace: spec.namespace, release: spec.release, elements: spec.elements, snapshots: spec.snapshots, postgresqlDump: spec.postgresqlDump });
const snapshots = new VolumeSnapshots("snapshots", { namespace: spec.namespace, schedules: snapshotSchedules, snapshots: spec.snapshots }, { dependsOn: afterRelease });

const s3 = spec.elements.s3;
const seaweedfs = s3.enabled && s3.schedule
    ? new SeaweedfsDr("seaweedfs", { namespace: spec.namespace, release: spec.release, schedule: s3.schedule.utcCron, destination }, { dependsOn: afterBucket })
    : undefined;

const agents = spec.elements.agents.enabled && spec.agents.backupUtcCron && worker
    ? new AgentsDr("agents", {
        namespace: spec.namespace,
        release: spec.release,
        schedule: spec.agents.backupUtcCron,
        destination,
        prefix: "agents/",
        bandwidthLimit: spec.agents.bandwidthLimit,
        workerPodLabels: worker.podLabels,
        restore: spec.agents.restore,
        crypt: spec.agents.cryptAdopted
            ? { password: configuredSecrets!.apply((secrets) => secrets.agentsCryptPassword), salt: configuredSecrets!.apply((secrets) => secrets.agentsCryptSalt) }
            : undefined,
    }, { dependsOn: afterBucket })
    : undefined;

const pvcRestore = spec.restore.pvc
    ? new PvcRestore("restore-pvc", { namespace: spec.namespace, release: spec.release, restore: spec.restore.pvc, selection: spec.snapshots.selections[spec.restore.pvc.pvcSet] }, { dependsOn: afterRelease })
    : undefined;

const snapshotView = snapshotPosture(snapshotSchedules, spec.snapshots);
const postureContext: PostureContext = {
    paths: snapshotView.rows.map((path) => ({ ...path, destination: `VolumeSnapshots of ${path.pvcSet} PVCs (${spec.snapshots.className ?? "default class"})` })),
};

export const drPosture = buildPosture(spec, postureContext);
/** DR gaps the stack cannot close by itself (SeaweedFS master on a hostPath, …). */
export const drWarnings = snapshotView.warnings;
export const releaseValuesYaml = qalita.valuesYaml;
/**
 * The pinned release secrets as a helm values file (a secret): for plain helm or Argo CD,
 * `pulumi stack output --show-secrets pinnedSecretValuesYaml > qalita-secret-values.yaml`.
 */
export const pinnedSecretValuesYaml = pinned.valuesYaml;
export const coldStorageBucket = coldStorage ? { name: coldStorage.bucketName, arn: coldStorage.bucketArn, kmsKeyArn: coldStorage.kmsKeyArn, prefixes: coldStorage.prefixes, writer: coldStorage.writerCredentials } : null;
/** kubectl names of the PostgreSQL jobs: `kubectl -n <namespace> logs job/<restore>`. */
export const postgresqlJobs = { offsiteCronJob: postgresql?.offsiteCronJob ?? null, restoreJob: postgresql?.restoreJob ?? null };
export const snapshotSchedulesDeployed = snapshots.scheduleNames;
export const seaweedfsOffsiteCronJob = seaweedfs?.offsiteCronJob ?? null;
export const restoredPvc = pvcRestore?.pvcName ?? null;
export const agentsJobs = { offsiteCronJob: agents?.offsiteCronJob ?? null, restoreJob: agents?.restoreJob ?? null };
/** The agents' backup encryption key (a secret): keep a copy in your vault, or backups are unreadable without this stack's state. */
export const agentsCryptKey = agents?.cryptKey ?? null;
