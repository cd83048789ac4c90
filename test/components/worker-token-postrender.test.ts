// The helm post-renderer that leaves one QALITA_WORKER_TOKEN per worker container
// (components/qalita-release/postrender/), on the chart 2.11.6 worker Deployment rendered by hand
// (test/fixtures/qalita-worker-deployment.yaml), through the pure function and the executable.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import { ownedWorkerEnv } from "../../components/agents/worker-values";
import {
    dedupeWorkerTokens,
    POSTRENDER_CLI,
    postrenderCommand,
    PostRenderError,
    postRenderWorkerToken,
} from "../../components/qalita-release/postrender/worker-token";
import { resolveAgents } from "../../config/agents/resolve";
import { resolveElement } from "../../config/elements/resolve";

const ROOT = resolve(__dirname, "..", "..");
const FIXTURE = readFileSync(join(ROOT, "test", "fixtures", "qalita-worker-deployment.yaml"), "utf8");
const TOKEN = "QALITA_WORKER_TOKEN";
/** The two literal entries the chart writes from worker.token (templates/worker-deployment.yaml, both containers). */
const LITERAL_ENTRY = `          - name: ${TOKEN}\n            value: literal-token-123\n`;

type Env = { name: string; value?: string | null; valueFrom?: unknown; $patch?: string };

function docs(manifest: string) {
    return parseAllDocuments(manifest).map((doc) => ({ kind: doc.get("kind") as string, text: manifest.slice(doc.range[0], doc.range[2]), js: doc.toJS() }));
}
function deployment(manifest: string) {
    const found = docs(manifest).filter((doc) => doc.kind === "Deployment");
    assert.equal(found.length, 1);
    return found[0].js;
}
const containers = (dep: any): { name: string; env: Env[] }[] => dep.spec.template.spec.containers;

describe("worker-token post-renderer", () => {
    const output = postRenderWorkerToken(FIXTURE);

    it("the fixture is the chart's rendering with the extraEnv the stack produces", () => {
        const agents = resolveAgents({
            release: "qalita",
            element: resolveElement("agents", {}).spec,
            userReleaseValues: { worker: { enabled: true } },
            secrets: { workerToken: "[secret]" },
        }).spec;
        const appended = ownedWorkerEnv(agents);
        for (const container of containers(deployment(FIXTURE))) {
            assert.deepEqual(container.env.slice(4), appended, `${container.name}: the entries after the chart's four are worker.deployment.extraEnv`);
            assert.deepEqual(container.env[3], { name: TOKEN, value: "literal-token-123" });
        }
    });

    it("(1) leaves each worker container exactly one QALITA_WORKER_TOKEN, the valueFrom one, other entries in order", () => {
        const dep = deployment(output);
        assert.deepEqual(
            containers(dep).map((c) => c.name),
            ["cli", "worker"],
        );
        for (const container of containers(dep)) {
            const tokens = container.env.filter((env) => env.name === TOKEN);
            assert.equal(tokens.length, 1, container.name);
            assert.deepEqual(tokens[0], { name: TOKEN, valueFrom: { secretKeyRef: { key: "token", name: "qalita-dr-worker" } } });
            assert.deepEqual(
                container.env.map((env) => env.name),
                ["QALITA_WORKER_NAME", "QALITA_WORKER_MODE", "QALITA_WORKER_ENDPOINT", TOKEN],
            );
        }
        const result = dedupeWorkerTokens(FIXTURE);
        assert.deepEqual(
            result.removed.map(({ container, env, index }) => ({ container, env, index })),
            [
                { container: "cli", env: TOKEN, index: 3 },
                { container: "worker", env: TOKEN, index: 3 },
            ],
        );
        assert.deepEqual(result.reserialized, [], "block-style env lists are cut, not re-serialized");
    });

    it("(2) leaves every other document byte-identical, and removes only the literal entries' lines", () => {
        const before = docs(FIXTURE);
        const after = docs(output);
        assert.deepEqual(
            after.map((d) => d.kind),
            ["ConfigMap", "PersistentVolumeClaim", "Deployment"],
        );
        for (const [i, doc] of after.entries()) {
            if (doc.kind !== "Deployment") assert.equal(doc.text, before[i].text, `${doc.kind} untouched`);
        }
        const depStart = FIXTURE.indexOf("# Source: qalita/templates/worker-deployment.yaml");
        assert.equal(output.slice(0, depStart), FIXTURE.slice(0, depStart), "header comment and earlier documents untouched");
        assert.equal(FIXTURE.split(LITERAL_ENTRY).length, 3, "the fixture has the literal entry twice");
        assert.equal(output, FIXTURE.split(LITERAL_ENTRY).join(""), "the Deployment loses exactly those lines");
    });

    it("(3) on an upgrade from the chart's own rendering, the env merge yields a valid object", () => {
        // The release before the stack: the chart with worker.deployment.extraEnv: [] (literal token only).
        const previous = deployment(FIXTURE) as any;
        for (const c of containers(previous)) c.env = c.env.filter((env) => env.valueFrom === undefined);
        const desired = deployment(output);
        for (const [i, container] of containers(desired).entries()) {
            const names = container.env.map((env) => env.name);
            assert.equal(new Set(names).size, names.length, `${container.name}: no duplicate env names`);
            const token = container.env.find((env) => env.name === TOKEN)!;
            assert.ok(!("value" in token), `${container.name}: no value on the token entry`);

            const old = containers(previous)[i].env;
            // Helm 3 upgrade (pkg/kube/client.go, helm v3.20.2): update() hands createPatch the object
            // from the previous release's manifest (original), createPatch fetches the live object
            // (current) and calls strategicpatch.CreateThreeWayMergePatch(original, target, current,
            // patchMeta, true). Deletions come from original → target: the old manifest had `value`,
            // the new one has none, so the patch sets value: null; additions and changes come from
            // current → target: valueFrom. Both land in one entry keyed by `name`, and applying it to
            // the live entry gives { name, valueFrom }: valid. (Live = previous manifest here.)
            const patch = threeWayEnvPatch(old, container.env, old, "first");
            assert.deepEqual(patch, [{ name: TOKEN, value: null, valueFrom: { secretKeyRef: { key: "token", name: "qalita-dr-worker" } } }]);
            const merged = applyEnvPatch(old, patch);
            assert.deepEqual(envProblems(merged), []);
            assert.deepEqual(merged, container.env);
        }
        // Without the post-renderer the target has both entries. Whichever of the two the sort pairs
        // with the live one (sort.Sort is not stable), the patch merges valueFrom into the FIRST live
        // entry of that name, which keeps its value: the API server rejects the Deployment.
        const unfixed = containers(deployment(FIXTURE))[0].env;
        const old = containers(previous)[0].env;
        for (const pairing of ["first", "last"] as const) {
            const merged = applyEnvPatch(old, threeWayEnvPatch(old, unfixed, old, pairing));
            assert.deepEqual(envProblems(merged), [`${TOKEN}: valueFrom may not be specified when value is not empty`], pairing);
        }
    });

    it("(4) the executable turns stdin into the same stdout, exit 0; garbage exits non-zero with an error on stderr", () => {
        assert.ok((statSync(POSTRENDER_CLI).mode & 0o111) !== 0, "helm runs it directly: it must be executable");
        const run = spawnSync(POSTRENDER_CLI, [], { input: FIXTURE, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout, output);
        assert.equal(run.stderr, "");

        // As helm runs it from the Release's `postrender` input: a path relative to the provider's
        // working directory, the project root.
        assert.equal(postrenderCommand(ROOT), "./components/qalita-release/postrender/worker-token-cli.js");
        assert.equal(postrenderCommand("/somewhere/else"), POSTRENDER_CLI, "absolute when not below cwd");
        const relative = spawnSync(postrenderCommand(ROOT), [], { cwd: ROOT, input: FIXTURE, encoding: "utf8" });
        assert.equal(relative.status, 0, relative.stderr);
        assert.equal(relative.stdout, output);

        const garbage = spawnSync(POSTRENDER_CLI, [], { input: "apiVersion: v1\nkind: [unclosed\n", encoding: "utf8" });
        assert.notEqual(garbage.status, 0);
        assert.match(garbage.stderr, /qalita-dr worker-token post-renderer: the rendered manifest is not valid YAML/);
        assert.equal(garbage.stdout, "");
    });

    it("(5) is idempotent", () => {
        assert.equal(postRenderWorkerToken(output), output);
        assert.deepEqual(dedupeWorkerTokens(output).removed, []);
    });

    it("leaves a literal token with no valueFrom entry, or one whose last entry is literal, alone", () => {
        const literalOnly = FIXTURE.replace(/ {10}- name: QALITA_WORKER_TOKEN\n {12}valueFrom:\n( {14}.*\n){3}/g, "");
        assert.equal(deployment(literalOnly).spec.template.spec.containers[0].env.length, 4);
        assert.equal(postRenderWorkerToken(literalOnly), literalOnly);

        const literalLast = FIXTURE.split(LITERAL_ENTRY)
            .join("")
            .replace(/( {16}name: qalita-dr-worker\n)/g, `$1${LITERAL_ENTRY}`);
        const result = dedupeWorkerTokens(literalLast);
        assert.equal(result.manifest, literalLast);
        assert.deepEqual(
            result.kept.map((k) => [k.container, k.env, k.reason]),
            [
                ["cli", TOKEN, "last-is-literal"],
                ["worker", TOKEN, "last-is-literal"],
            ],
        );
    });

    it("handles the legacy QALITA_AGENT_TOKEN (charts ≤ 2.6.0), and only Deployments", () => {
        const legacy = FIXTURE.replaceAll(TOKEN, "QALITA_AGENT_TOKEN");
        assert.equal(postRenderWorkerToken(legacy), output.replaceAll(TOKEN, "QALITA_AGENT_TOKEN"));
        const statefulSet = FIXTURE.replace("kind: Deployment", "kind: StatefulSet");
        assert.equal(postRenderWorkerToken(statefulSet), statefulSet);
    });

    it("re-serializes only the document whose env list is not in block style", () => {
        const flow = [
            "---\n# Source: a.yaml\nkind: ConfigMap\nmetadata: {name: keep}   # odd spacing kept\n",
            "---\n# Source: b.yaml\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n",
            `        env: [{name: ${TOKEN}, value: x}, {name: ${TOKEN}, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n`,
        ].join("");
        const result = dedupeWorkerTokens(flow);
        assert.deepEqual(result.reserialized, [1]);
        assert.ok(result.manifest.startsWith("---\n# Source: a.yaml\nkind: ConfigMap\nmetadata: {name: keep}   # odd spacing kept\n---\n# Source: b.yaml\n"));
        assert.deepEqual(containers(deployment(result.manifest))[0].env, [{ name: TOKEN, valueFrom: { secretKeyRef: { name: "s", key: "k" } } }]);
    });

    it("throws a clear error on unparsable input, and passes an empty stream through", () => {
        assert.throws(
            () => postRenderWorkerToken("a: b\n\tc: d\n"),
            (error: unknown) => error instanceof PostRenderError && /not valid YAML[\s\S]*document 1/.test(error.message),
        );
        assert.equal(postRenderWorkerToken(""), "");
    });
});

// ---------------------------------------------------------------------------------------------
// A small, pure model of strategic merge on a list keyed by `name` (k8s.io/apimachinery v0.36.2
// pkg/util/strategicpatch/patch.go): CreateThreeWayMergePatch = deletions (original → modified,
// IgnoreChangesAndAdditions) merged with delta (current → modified, IgnoreDeletions);
// diffListsOfMaps walks both lists sorted by name, pairing equal names once and taking any extra
// modified entry whole; applying merges each patch entry into the FIRST live entry of its name
// (mergeSliceWithoutSpecialElements) and `$patch: delete` removes every entry of that name
// (deleteMatchingEntries). `$setElementOrder` is left out: it only orders.
// ---------------------------------------------------------------------------------------------

function entryDiff(from: Env, to: Env, opts: { ignoreDeletions?: boolean; ignoreChangesAndAdditions?: boolean }): Env | null {
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(to)) {
        if (!opts.ignoreChangesAndAdditions && !isDeepStrictEqual((from as any)[key], value)) patch[key] = value;
    }
    for (const key of Object.keys(from)) {
        if (!opts.ignoreDeletions && !(key in to)) patch[key] = null;
    }
    return Object.keys(patch).length === 0 ? null : ({ name: to.name, ...patch } as Env);
}

function diffEnv(from: Env[], to: Env[], opts: { ignoreDeletions?: boolean; ignoreChangesAndAdditions?: boolean }, pairing: "first" | "last"): Env[] {
    const patch: Env[] = [];
    for (const name of [...new Set([...from, ...to].map((e) => e.name))].sort()) {
        const olds = from.filter((e) => e.name === name);
        const news = to.filter((e) => e.name === name);
        if (pairing === "last") news.reverse();
        const paired = Math.min(olds.length, news.length);
        for (let i = 0; i < paired; i++) {
            const diff = entryDiff(olds[i], news[i], opts);
            if (diff) patch.push(diff);
        }
        if (!opts.ignoreChangesAndAdditions) patch.push(...news.slice(paired));
        if (!opts.ignoreDeletions) patch.push(...olds.slice(paired).map(() => ({ name, $patch: "delete" })));
    }
    return patch;
}

function applyEnvPatch(live: Env[], patch: Env[]): Env[] {
    let out: Env[] = live.map((e) => ({ ...e }));
    for (const entry of patch) {
        if (entry.$patch === "delete") {
            out = out.filter((e) => e.name !== entry.name);
            continue;
        }
        const target = out.find((e) => e.name === entry.name);
        if (!target) {
            out.push({ ...entry });
            continue;
        }
        for (const [key, value] of Object.entries(entry)) {
            if (value === null) delete (target as any)[key];
            else (target as any)[key] = value;
        }
    }
    return out;
}

function threeWayEnvPatch(original: Env[], modified: Env[], current: Env[], pairing: "first" | "last"): Env[] {
    const deletions = diffEnv(original, modified, { ignoreChangesAndAdditions: true }, pairing);
    const delta = diffEnv(current, modified, { ignoreDeletions: true }, pairing);
    return applyEnvPatch(deletions, delta);
}

/** What the API server's env validation would say (the value/valueFrom rule only). */
function envProblems(env: Env[]): string[] {
    return env
        .filter((e) => e.valueFrom !== undefined && typeof e.value === "string" && e.value !== "")
        .map((e) => `${e.name}: valueFrom may not be specified when value is not empty`);
}
