import { strict as assert } from "node:assert";
import { PlanResource } from "../../contracts/preview";
import { qalitaSecretKeyPinned } from "../../policies/rules/qalita-secret-key-pinned";

function release(props: Record<string, unknown>): PlanResource {
    return {
        urn: "urn:pulumi:dev::qalita-dr::kubernetes:helm.sh/v3:Release::qalita-release",
        type: "kubernetes:helm.sh/v3:Release",
        props: { chart: "qalita", values: {}, ...props },
    };
}

describe("policy qalita-secret-key-pinned", () => {
    it("passes a release pinned through a secret values file (blinded in previews)", () => {
        assert.deepEqual(qalitaSecretKeyPinned.check([release({ valueYamlFiles: "[secret]" })]), []);
    });

    it("fails a release with nothing pinned", () => {
        const [violation] = qalitaSecretKeyPinned.check([release({})]);
        assert.match(violation.message, /not pinned: the chart regenerates them on every upgrade/);
        assert.match(violation.urn!, /qalita-release$/);
    });

    it("fails a secretKey written as plain text in values, even with a values file", () => {
        const [violation] = qalitaSecretKeyPinned.check([release({ values: { backend: { secretKey: "hunter2hunter2" } }, valueYamlFiles: "[secret]" })]);
        assert.match(violation.message, /values\.backend\.secretKey is plain text/);
    });
});
