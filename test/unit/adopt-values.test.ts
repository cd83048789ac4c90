// Adopting an installed QALITA: its values (`helm get values -o yaml`, the fixture) are split into
// the stack's config, and what helm then applies holds every value the release had. Helm gets the
// secret values file first and `values` on top (pulumi-kubernetes helm_release.go getValues; maps
// merge, lists are replaced), with no reuse of the old release's values: so the proof is this merge.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import deepmerge from "deepmerge";
import { parse } from "yaml";
import { releaseValues } from "../../components/qalita-release/values";
import { resolveDrSpec } from "../../config/resolve";
import { configPath, getAt, setAt, splitUserValues } from "../../tools/adopt/split-values";
import { TEST_CONTEXT } from "../support/config";
import { adoptValues } from "../support/plan-cli";

const FILE = resolve(__dirname, "../fixtures/adopt/helm-get-values.yaml");
const installed = parse(readFileSync(FILE, "utf8"));
const replaceLists = { arrayMerge: (_target: unknown[], source: unknown[]) => source };

function leafPaths(value: unknown, path: string[] = []): string[][] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [path];
    return Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, [...path, key]));
}

describe("adopting an installed release's values", () => {
    const split = splitUserValues(installed);

    it("keeps readable values readable, and moves every credential out of them", () => {
        assert.equal(getAt(split.public, ["cluster", "domain"]), "qalita.acme.example");
        assert.equal(getAt(split.public, ["postgresql", "primary", "persistence", "size"]), "32Gi");
        assert.deepEqual(split.secret.map((path) => path.join(".")).sort(), [
            "backend.s3.admin_access_key_id",
            "backend.s3.admin_secret_access_key",
            "backend.s3.read_access_key_id",
            "backend.s3.read_secret_access_key",
            "licenseKey",
            "worker.token",
        ]);
        const text = JSON.stringify(split.public);
        for (const path of split.secret) assert.ok(!text.includes(String(getAt(installed, path))), `${path.join(".")} in the readable values`);
        assert.deepEqual(split.config, { "agents.storageSize": "20Gi" });
    });

    it("after adoption helm applies every value the release had (none reset to the chart's default)", () => {
        const secretReleaseValues = {};
        for (const path of split.secret) setAt(secretReleaseValues, path, getAt(installed, path));
        const spec = resolveDrSpec(
            {
                adopt: true,
                releaseValues: split.public,
                secretReleaseValues,
                agents: { storageSize: split.config["agents.storageSize"], tokenSecret: { name: "qalita-worker-token", key: "token" } },
            },
            TEST_CONTEXT,
        );
        // What PinnedSecrets writes (the user's secret values under the pinned ones), then values on top.
        const secretFile = deepmerge(secretReleaseValues, { backend: { secretKey: "k", adminPassword: "a" } }, replaceLists);
        const applied = deepmerge(secretFile, releaseValues(spec), replaceLists);
        for (const path of leafPaths(installed)) {
            assert.deepEqual(getAt(applied, path), getAt(installed, path), `${path.join(".")} would change`);
        }
        assert.equal(getAt(applied, ["postgresql", "backup", "enabled"]), true, "and the backup is on");
    });

    it("writes config paths pulumi config set --path reads back", () => {
        assert.equal(configPath(["backend", "s3", "admin_access_key_id"]), "backend.s3.admin_access_key_id");
        assert.equal(configPath(["metrics", "annotations", "prometheus.io/port"]), 'metrics.annotations["prometheus.io/port"]');
    });

    it("npm run adopt-values prints the config and the commands, and never a secret", () => {
        const printed = adoptValues([FILE, "--stack", "prod"]);
        assert.equal(printed.status, 0, printed.stderr);
        assert.match(printed.stdout, /qalita-dr:releaseValues:\n {2}licenseUser: acme/);
        assert.match(
            printed.stdout,
            /pulumi config set --stack prod --secret --path secretReleaseValues\.licenseKey "\$\(npm run -s adopt-values -- \S+helm-get-values\.yaml --get licenseKey\)"/,
        );
        for (const path of split.secret) assert.ok(!printed.stdout.includes(String(getAt(installed, path))), `${path.join(".")} printed`);
        assert.equal(adoptValues([FILE, "--get", "no.such.key"]).status, 1);
        const misuse = adoptValues([]);
        assert.equal(misuse.status, 2);
        assert.match(misuse.stderr, /^name the file helm get values -o yaml wrote\n\nusage: npm run adopt-values/);
        assert.match(adoptValues(["/no/such/values.yaml"]).stderr, /^cannot read \/no\/such\/values\.yaml: ENOENT/);
    });

    it("--get prints one value with nothing around it, as the printed $(…) commands read it", () => {
        const got = adoptValues([FILE, "--get", "backend.s3.admin_secret_access_key"]);
        assert.equal(got.status, 0, got.stderr);
        assert.equal(got.stdout, "seaweed-admin-secret-77a1");
    });
});
