// The chart facts the stack's own pods rely on, against the values derived from the upstream
// chart (test/fixtures/upstream/), and the image resolution Bitnami's helpers do.
import { strict as assert } from "node:assert";
import { CHART_POSTGRESQL_IMAGE, postgresqlImage } from "../../config/qalita-chart";
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
        assert.deepEqual(postgresqlImage({ postgresql: { image: { registry: "ghcr.io", repository: "qalita-io/postgresql", pullSecrets: [] } } }),
            { image: "ghcr.io/qalita-io/postgresql:15.4.0", pullSecrets: [] });
        assert.equal(postgresqlImage({ global: { imageRegistry: "mirror.internal" } }).image, "mirror.internal/postgresql:15.4.0");
        assert.equal(postgresqlImage({ postgresql: { global: { imageRegistry: "sub.internal" } } }).image, "sub.internal/postgresql:15.4.0");
        assert.equal(postgresqlImage({ postgresql: { image: { digest: "sha256:abc" } } }).image, "qalita.azurecr.io/postgresql@sha256:abc");
        assert.deepEqual(postgresqlImage({ global: { imagePullSecrets: [{ name: "corp" }, "qalita-platform-dockerregistry"] } }).pullSecrets,
            ["corp", "qalita-platform-dockerregistry"]);
    });
});
