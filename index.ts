/**
 * Composition root: config → DR spec → components → stack outputs. Components never read config;
 * this file is the only place that does, and it does so before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ElementName } from "./config/catalog";
import { resolveStack } from "./config/from-pulumi";
import { buildPosture } from "./config/posture";
import { drLabels } from "./components/labels";
import { QalitaRelease } from "./components/qalita-release";
import { AdoptedSecrets, PinnedSecrets } from "./components/qalita-release/pinned-secrets";
import { releaseValues } from "./components/qalita-release/values";
import { ColdStorage } from "./components/cold-storage";
import { DEFAULT_WRITER_SECRET_NAME } from "./components/cold-storage/writer";
import { ColdDestination } from "./components/offsite/destination";
import { postgresOffsiteName, PostgresqlDr } from "./components/postgresql";
import { postgresRestoreName } from "./components/postgresql/restore-job";
import { ElementSnapshots } from "./components/snapshots";
import { elementClaims, snapshotScheduleSpec } from "./components/snapshots/schedule-spec";

// Throws a ConfigError listing every problem: nothing below runs on invalid config.
const spec = resolveStack();

const configuredSecrets = new pulumi.Config().getSecretObject<Record<string, string>>("secrets");
const adopted: AdoptedSecrets = Object.fromEntries(spec.adoptedSecrets.map((key) => [key, configuredSecrets!.apply((secrets) => secrets[key])]));
const pinned = new PinnedSecrets("qalita-secrets", adopted);

const qalita = new QalitaRelease("qalita", {
    namespace: spec.namespace,
    releaseName: spec.release,
    chartVersion: spec.chartVersion,
    values: releaseValues(spec),
    manage: spec.manageRelease,
    secretValuesFile: pinned.valuesFile,
});

// Service accounts of the jobs that write to (or restore from) the bucket: the only identities
// the IRSA writer role trusts.
const writerServiceAccounts = [postgresOffsiteName(spec.release), postgresRestoreName(spec.release)];
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
    credentials: coldStorage?.writerRoleArn
        ? { kind: "irsa", roleArn: coldStorage.writerRoleArn }
        : { kind: "secret", secretName: DEFAULT_WRITER_SECRET_NAME },
};

const postgresql = spec.elements.postgresql.enabled && spec.postgresqlDump.offsiteUtcCron
    ? new PostgresqlDr("postgresql", {
        namespace: spec.namespace,
        release: spec.release,
        offsiteSchedule: spec.postgresqlDump.offsiteUtcCron,
        destination,
        prefix: "postgresql/",
        restore: spec.restore.postgresql,
    }, { dependsOn: [...(qalita.release ? [qalita.release] : []), ...(coldStorage ? [coldStorage] : [])] })
    : undefined;

const snapshotElements: ElementName[] = ["s3", "agents", "redis"];
for (const element of snapshotElements) {
    const elementSpec = spec.elements[element];
    const claims = elementClaims(element, spec.release);
    if (!elementSpec.enabled || !claims) continue;
    const labels = drLabels(element, "volume-snapshot");
    new ElementSnapshots(`snapshots-${element}`, {
        namespace: spec.namespace,
        scheduleName: `qalita-dr-${element}`,
        element,
        claims,
        labels,
        spec: snapshotScheduleSpec(elementSpec, claims, labels, spec.snapshots.className),
    }, { dependsOn: qalita.release ? [qalita.release] : [] });
}

export const drPosture = buildPosture(spec);
export const releaseValuesYaml = qalita.valuesYaml;
export const coldStorageBucket = coldStorage ? { name: coldStorage.bucketName, arn: coldStorage.bucketArn, kmsKeyArn: coldStorage.kmsKeyArn, prefixes: coldStorage.prefixes, writer: coldStorage.writerCredentials } : null;
/** kubectl names of the PostgreSQL jobs: `kubectl -n <namespace> logs job/<restore>`. */
export const postgresqlJobs = { offsiteCronJob: postgresql?.offsiteCronJob ?? null, restoreJob: postgresql?.restoreJob ?? null };
