/**
 * Facts of the QALITA chart the stack targets (2.11.6 as published on helm.qalita.io, with its
 * Bitnami postgresql 12.12.10 subchart) that the stack's own pods must agree with. Kept in one
 * place so that another chart layout is an addition; test/unit/qalita-chart.test.ts checks them
 * against the values derived from the upstream files (test/fixtures/upstream/).
 */

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
const object = (value: unknown): Values => (typeof value === "object" && value !== null && !Array.isArray(value) ? value as Values : {});
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
