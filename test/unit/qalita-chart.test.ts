// The chart facts the stack's own pods rely on, against the values derived from the upstream
// chart (test/fixtures/upstream/), and the image resolution Bitnami's helpers do.
import { strict as assert } from "node:assert";
import { CHART_POSTGRESQL_IMAGE, postgresqlImage } from "../../contracts/qalita-chart";
import { OWNED_VALUE_PATHS, PINNED_VALUE_PATHS, SECRET_VALUE_PATHS } from "../../config/release-values";
import { upstreamValues } from "../support/upstream-facts";

describe("QALITA chart facts", () => {
    it("the PostgreSQL image and pull secret are those of QALITA 2.11.6's values", () => {
        const defaults = upstreamValues("qalita-2.11.6.values.yaml").defaults;
        assert.equal(CHART_POSTGRESQL_IMAGE.registry, defaults["postgresql.image.registry"]);
        assert.equal(CHART_POSTGRESQL_IMAGE.repository, defaults["postgresql.image.repository"]);
        assert.equal(CHART_POSTGRESQL_IMAGE.tag, defaults["postgresql.image.tag"]);
        assert.deepEqual(CHART_POSTGRESQL_IMAGE.pullSecrets, defaults["postgresql.image.pullSecrets"]);
    });

    it("resolves the image as the chart does: the user's values over the chart's", () => {
        assert.deepEqual(postgresqlImage({}), { image: "qalita.azurecr.io/postgresql:15.4.0", pullSecrets: ["qalita-platform-dockerregistry"] });
        assert.deepEqual(postgresqlImage({ postgresql: { image: { registry: "ghcr.io", repository: "qalita-io/postgresql", pullSecrets: [] } } }), {
            image: "ghcr.io/qalita-io/postgresql:15.4.0",
            pullSecrets: [],
        });
        assert.equal(postgresqlImage({ global: { imageRegistry: "mirror.internal" } }).image, "mirror.internal/postgresql:15.4.0");
        assert.equal(postgresqlImage({ postgresql: { global: { imageRegistry: "sub.internal" } } }).image, "sub.internal/postgresql:15.4.0");
        assert.equal(postgresqlImage({ postgresql: { image: { digest: "sha256:abc" } } }).image, "qalita.azurecr.io/postgresql@sha256:abc");
        assert.deepEqual(postgresqlImage({ global: { imagePullSecrets: [{ name: "corp" }, "qalita-platform-dockerregistry"] } }).pullSecrets, [
            "corp",
            "qalita-platform-dockerregistry",
        ]);
    });
});

describe("release value paths the stack treats specially", () => {
    it("exist in QALITA 2.11.6's values (or its Bitnami subchart's, under postgresql.)", () => {
        const qalita = upstreamValues("qalita-2.11.6.values.yaml");
        const bitnami = upstreamValues("bitnami-postgresql-12.12.10.values.yaml");
        for (const path of [...SECRET_VALUE_PATHS, ...PINNED_VALUE_PATHS, ...OWNED_VALUE_PATHS]) {
            const inSubchart = path.startsWith("postgresql.") && bitnami.has(path.slice("postgresql.".length));
            assert.ok(qalita.has(path) || inSubchart, `${path} is no key of the chart`);
        }
    });
});
