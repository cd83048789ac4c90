/**
 * Facts of the QALITA chart the stack targets (2.11.6 as published on helm.qalita.io, with its
 * Bitnami postgresql 12.12.10 subchart) that the stack's own pods, the config and the policy pack
 * must agree with: names of the chart's objects, the worker's pods and environment, the
 * PostgreSQL image. Kept in one place so that another chart layout is an addition;
 * test/unit/qalita-chart.test.ts checks them against the values derived from the upstream files
 * (test/fixtures/upstream/).
 */

/** Bitnami's fullname of the PostgreSQL subchart: its Service, its Secret and its StatefulSet. */
export function postgresqlName(release: string): string {
    return `${release}-postgresql`;
}

/** Keys of the PostgreSQL Secret (Bitnami's secret.yaml). */
export const POSTGRESQL_SECRET_KEYS = { postgresPassword: "postgres-password", userPassword: "password" } as const;

/** The primary's data PVC (the StatefulSet's volumeClaimTemplate `data`, pod 0). */
export function postgresqlDataClaimName(release: string): string {
    return `data-${postgresqlName(release)}-0`;
}

/** The dump PVC Bitnami's chart creates for its backup CronJob (templates/backup/pvc.yaml). */
export function dumpClaimName(release: string): string {
    return `${postgresqlName(release)}-pgdumpall`;
}

/** The backup CronJob itself (templates/backup/cronjob.yaml): same name as its PVC. */
export function dumpCronJobName(release: string): string {
    return `${postgresqlName(release)}-pgdumpall`;
}

/** QALITA's templates/qalita-secret.yaml: `secretKey`, `adminPassword`. */
export function qalitaSecretName(release: string): string {
    return `${release}-qalita-secret`;
}

/**
 * QALITA's templates/worker-pvc.yaml names the worker store literally `qalita-worker-store`
 * (not release-derived) and gives it no labels.
 */
export const WORKER_STORE_PVC = "qalita-worker-store";

/** QALITA 2.11.6 templates/worker-deployment.yaml labels the worker's pods with these. */
export function defaultWorkerPodLabels(release: string): Record<string, string> {
    return { app: `${release}-worker`, release };
}

/** The worker's environment (QALITA_WORKER_*): how it authenticates and what it is. */
export const WORKER_ENV = {
    token: "QALITA_WORKER_TOKEN",
    name: "QALITA_WORKER_NAME",
    mode: "QALITA_WORKER_MODE",
    endpoint: "QALITA_WORKER_ENDPOINT",
} as const;

/** The token's env names: QALITA_WORKER_TOKEN (chart ≥ 2.7.0), QALITA_AGENT_TOKEN (≤ 2.6.0). */
export const WORKER_TOKEN_ENV_NAMES = [WORKER_ENV.token, "QALITA_AGENT_TOKEN"] as const;

export function isWorkerTokenEnv(name: unknown): boolean {
    return (WORKER_TOKEN_ENV_NAMES as readonly unknown[]).includes(name);
}

/** The chart's default `worker.token`: a placeholder the backend rejects, never a token. */
export const CHART_DEFAULT_TOKEN = "changeme";

/** `postgresql.image` in QALITA 2.11.6's values.yaml: QALITA's rebuild of Bitnami's image, private. */
export const CHART_POSTGRESQL_IMAGE = {
    registry: "qalita.azurecr.io",
    repository: "postgresql",
    tag: "15.4.0",
    pullSecrets: ["qalita-platform-dockerregistry"],
} as const;

export interface ResolvedImage {
    /** `registry/repository:tag`, or `…@digest` when a digest is set. */
    readonly image: string;
    readonly pullSecrets: readonly string[];
}

type Values = Record<string, any>;
const object = (value: unknown): Values => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Values) : {});
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * The PostgreSQL image the release runs, as Bitnami's `common.images.image` and
 * `common.images.pullSecrets` compute it: the user's values (`qalita-dr:releaseValues`) over the
 * chart's; `global.imageRegistry` wins over `image.registry`; pull secrets are the globals plus the
 * image's, each a name or `{ name }`. Any pod of ours on this image needs exactly these.
 */
export function postgresqlImage(userValues: Values): ResolvedImage {
    const postgresql = object(userValues.postgresql);
    const image = { ...CHART_POSTGRESQL_IMAGE, ...object(postgresql.image) } as Values;
    // Within the subchart, `global` is the parent's merged with postgresql.global.
    const global = { ...object(userValues.global), ...object(postgresql.global) };
    const registry = text(global.imageRegistry) ?? text(image.registry);
    const repository = registry ? `${registry}/${image.repository}` : String(image.repository);
    const digest = text(image.digest);
    const names = [...listOf(global.imagePullSecrets), ...listOf(image.pullSecrets)];
    return { image: digest ? `${repository}@${digest}` : `${repository}:${image.tag}`, pullSecrets: [...new Set(names)] };
}

function listOf(value: unknown): string[] {
    if (!Array.isArray(value)) return [];
    return value.map((entry) => (typeof entry === "string" ? entry : text(object(entry).name))).filter((name): name is string => Boolean(name));
}
