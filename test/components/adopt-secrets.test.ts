// Adoption mode: the pinned secrets of an installed release are read from its live Secrets (the
// fixtures stand for `kubectl get secret -o yaml`), never generated; what is configured wins.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse, parseAllDocuments } from "yaml";
import { PinnedSecrets } from "../../components/qalita-release/pinned-secrets";
import { setLiveObject } from "../../tools/plan/mocks";
import { plan, STACK_FIXTURES } from "../support/plan-cli";

const FIXTURES = resolve(__dirname, "../fixtures/adopt");
const liveSecrets: any[] = parseAllDocuments(readFileSync(resolve(FIXTURES, "kubectl-get-secrets.yaml"), "utf8"))[0].toJS().items;
const decoded = (name: string, key: string) => Buffer.from(liveSecrets.find((s) => s.metadata.name === name).data[key], "base64").toString("utf8");
const settled = <T>(output: pulumi.Output<T>) =>
    new Promise<T>((done) =>
        output.apply((value) => {
            done(value);
            return value;
        }),
    );
const valuesOf = async (secrets: PinnedSecrets) => parse(((await settled(secrets.valuesFile)) as any).text);

describe("adopting an installed release's secrets", () => {
    before(() => {
        for (const s of liveSecrets) setLiveObject("kubernetes:core/v1:Secret", `qalita/${s.metadata.name}`, s);
    });
    after(() => {
        for (const s of liveSecrets) setLiveObject("kubernetes:core/v1:Secret", `qalita/${s.metadata.name}`, undefined);
    });

    it("pins exactly the values the release runs with (data decoded once: secretKey is the value helm had)", async () => {
        const values = await valuesOf(new PinnedSecrets("adopt-live", {}, { namespace: "qalita", release: "qalita" }));
        assert.deepEqual(values, {
            backend: { secretKey: decoded("qalita-qalita-secret", "secretKey"), adminPassword: decoded("qalita-qalita-secret", "adminPassword") },
            postgresql: {
                global: {
                    postgresql: {
                        auth: { password: decoded("qalita-postgresql", "password"), postgresPassword: decoded("qalita-postgresql", "postgres-password") },
                    },
                },
            },
        });
        // What QALITA's template renders from it is the Secret the release has: data = b64enc(value).
        assert.equal(Buffer.from(values.backend.secretKey).toString("base64"), liveSecrets[0].data.secretKey);
    });

    it("takes a configured value over the live one", async () => {
        const values = await valuesOf(new PinnedSecrets("adopt-configured", { postgresPassword: "from-config" }, { namespace: "qalita", release: "qalita" }));
        assert.equal(values.postgresql.global.postgresql.auth.postgresPassword, "from-config");
        assert.equal(values.postgresql.global.postgresql.auth.password, decoded("qalita-postgresql", "password"));
    });

    it("fails, naming the command to run, when a live Secret lacks a key", async () => {
        const broken = { ...liveSecrets[1], metadata: { ...liveSecrets[1].metadata, namespace: "other" }, data: { password: liveSecrets[1].data.password } };
        setLiveObject("kubernetes:core/v1:Secret", "other/qalita-postgresql", broken);
        setLiveObject("kubernetes:core/v1:Secret", "other/qalita-qalita-secret", {
            ...liveSecrets[0],
            metadata: { ...liveSecrets[0].metadata, namespace: "other" },
        });
        const secrets = new PinnedSecrets("adopt-broken", {}, { namespace: "other", release: "qalita" });
        // Output#promise() is how the runtime awaits an output; the error is what `pulumi preview` prints.
        await assert.rejects((secrets.valuesFile as any).promise(), (error: Error) => {
            assert.match(error.message, /Secret other\/qalita-postgresql has no postgres-password/);
            assert.match(
                error.message,
                /pulumi config set --secret --path 'secrets\.postgresPassword' "\$\(kubectl -n other get secret qalita-postgresql -o jsonpath='\{\.data\.postgres-password\}' \| base64 -d\)"/,
            );
            return true;
        });
    });

    it("the plan in adoption mode generates none of them (no RandomPassword) and keeps them secret", () => {
        const result = plan(["--stack", "adopt", "--config-dir", STACK_FIXTURES, "--json", "--live", resolve(FIXTURES, "kubectl-get-secrets.yaml")]);
        assert.equal(result.status, 0, result.stderr);
        const steps = JSON.parse(result.stdout).steps;
        assert.deepEqual(
            steps.filter((s: any) => s.urn.includes("RandomPassword::qalita-secrets")).map((s: any) => s.urn),
            [],
        );
        for (const value of liveSecrets.flatMap((s) => Object.keys(s.data).map((key) => decoded(s.metadata.name, key)))) {
            assert.ok(!result.stdout.includes(value), "a live secret in the plan");
        }
        const release = steps.find((s: any) => s.newState.type === "kubernetes:helm.sh/v3:Release").newState.inputs;
        assert.equal(release.valueYamlFiles, "[secret]");
    });
});

describe("the QALITA Release in adoption mode", () => {
    const registrations: { type: string; name: string; importId: string; inputs: any }[] = [];
    before(() => {
        const monitor = pulumi.runtime.getMonitor() as any;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) => {
            registrations.push({
                type: request.getType(),
                name: request.getName(),
                importId: request.getImportid(),
                inputs: request.getObject()?.toJavaScript() ?? {},
            });
            return register(request, callback);
        };
    });

    it("imports the installed release (ID namespace/name) and post-renders the worker token; a fresh install imports nothing", async () => {
        const { QalitaRelease } = await import("../../components/qalita-release");
        new QalitaRelease("adopted", { namespace: "qalita", releaseName: "qalita", chartVersion: "2.11.6", values: {}, manage: true, adopt: true });
        new QalitaRelease("fresh", { namespace: "qalita", releaseName: "qalita", chartVersion: "2.11.6", values: {}, manage: true, adopt: false });
        await new Promise((done) => setTimeout(done, 50));
        const adopted = registrations.find((r) => r.name === "adopted-release")!;
        assert.equal(adopted.type, "kubernetes:helm.sh/v3:Release");
        assert.equal(adopted.importId, "qalita/qalita");
        assert.equal(adopted.inputs.postrender, "./components/qalita-release/postrender/worker-token-cli.js");
        assert.equal(registrations.find((r) => r.name === "fresh-release")!.importId, "");
    });
});
