import { strict as assert } from "node:assert";
import Ajv from "ajv";
import { OUTPUT_DIR, readDerived } from "../../tools/upstream/derive";
import { CrdFacts, formatPath, GENERATED_NOTE, parsePath, ValuesFacts, valuesKeys } from "../../tools/upstream/facts";
import { FACTS_DIR, upstreamValues } from "../support/upstream-facts";

describe("upstream facts (test/fixtures/upstream, from tools/upstream/derive.ts)", () => {
    const committed = readDerived(FACTS_DIR);
    const parsed = new Map([...committed].map(([name, text]) => [name, JSON.parse(text)]));
    const index = parsed.get("index.json");

    it("are read from where derive.ts writes them", () => {
        assert.equal(FACTS_DIR, OUTPUT_DIR);
        assert.ok(index, "test/fixtures/upstream/index.json is missing: run npm run derive-upstream");
    });

    // Tests read only the repository: freshness against the upstream files is the maintainers'
    // `npm run derive-upstream -- --upstream DIR --check`, not a test.
    it("record their sources' sha256, and every derived file its source", () => {
        assert.ok(index.upstream.length > 0);
        for (const entry of index.upstream) {
            assert.match(entry.sha256, /^[0-9a-f]{64}$/, entry.file);
            for (const name of entry.derived) {
                const facts = parsed.get(name);
                assert.ok(facts, `${name}, listed in index.json, is missing`);
                assert.equal(facts.source.file, entry.file, name);
                assert.equal(facts.source.sha256, entry.sha256, name);
            }
        }
    });

    it("name their generator, source file and sha256 in every file, and index.json lists every file", () => {
        const listed = new Set<string>(index.upstream.flatMap((entry: { derived: string[] }) => entry.derived));
        assert.deepEqual([...committed.keys()].filter((name) => name !== "index.json").sort(), [...listed].sort());
        for (const [name, facts] of parsed) {
            assert.equal(facts.$comment, GENERATED_NOTE, name);
            if (name === "index.json") continue;
            assert.match(facts.source.sha256, /^[0-9a-f]{64}$/, name);
            assert.ok(facts.source.file && facts.source.version, name);
        }
    });

    const crds = [...parsed].filter(([name]) => name.startsWith("crd/")) as [string, CrdFacts][];

    it("hold a schema per served CRD version: SnapshotSchedule, VolumeSnapshot, VolumeSnapshotClass, VolumeGroupSnapshot", () => {
        const kinds = new Set(crds.map(([, facts]) => facts.source.kind));
        for (const kind of ["SnapshotSchedule", "VolumeSnapshot", "VolumeSnapshotClass", "VolumeGroupSnapshot"]) assert.ok(kinds.has(kind), kind);
        assert.ok(crds.some(([, facts]) => facts.source.kind === "VolumeSnapshotClass" && facts.source.version === "v1"));
    });

    it("CRD schemas compile with ajv (non-strict) and carry no description prose", () => {
        const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
        for (const [name, facts] of crds) {
            ajv.compile(facts.schema);
            const keywords = new Set<string>();
            const walk = (node: unknown, isPropertiesMap = false): void => {
                if (Array.isArray(node)) return node.forEach((inner) => walk(inner));
                if (typeof node !== "object" || node === null) return;
                for (const [key, value] of Object.entries(node)) {
                    if (!isPropertiesMap) keywords.add(key);
                    if (!isPropertiesMap && (key === "enum" || key === "default" || key === "required")) continue;
                    walk(value, !isPropertiesMap && key === "properties");
                }
            };
            walk(facts.schema);
            for (const prose of ["description", "title", "example", "externalDocs", "message"]) assert.ok(!keywords.has(prose), `${name} keeps ${prose}`);
        }
    });

    it("keep x-kubernetes-int-or-string and the constraints ajv checks", () => {
        const snapshot = crds.find(([name]) => name === "crd/snapshot.storage.k8s.io_volumesnapshots.v1.json")![1].schema as any;
        assert.equal(snapshot.properties.status.properties.restoreSize["x-kubernetes-int-or-string"], true);
        const schedule = crds.find(([name]) => name === "crd/snapscheduler.backube_snapshotschedules.v1.json")![1].schema as any;
        assert.equal(schedule.properties.spec.properties.retention.properties.maxCount.minimum, 1);
        assert.ok(schedule.properties.spec.properties.schedule.pattern);
        const validate = new Ajv({ strict: false, validateFormats: false }).compile(schedule);
        assert.equal(validate({ spec: { retention: { maxCount: 0 } } }), false);
        assert.equal(validate({ spec: { schedule: "0 1 * * *", retention: { maxCount: 2, expires: "168h" } } }), true);
    });

    it("list values keys: leaves, empty maps open to any child, lists and scalars closed", () => {
        const bitnami = upstreamValues("bitnami-postgresql-12.12.10.values.yaml");
        assert.equal(bitnami.source.version, "12.12.10");
        assert.ok(bitnami.has("backup.cronjob.command"));
        assert.ok(bitnami.has("backup.cronjob"), "a map the chart defines");
        assert.ok(bitnami.has("primary.podLabels"), "an empty map");
        assert.ok(bitnami.has("primary.podLabels.team"), "any child of an empty map");
        assert.ok(bitnami.has(["primary", "podAnnotations", "example.com/a"]), "a dotted child of an empty map");
        assert.ok(bitnami.has('metrics.service.annotations["prometheus.io/port"]'));
        assert.ok(!bitnami.has("metrics.service.annotations.other"), "a non-empty map is closed");
        assert.ok(bitnami.has("image.pullSecrets"), "a list");
        assert.ok(!bitnami.has("image.pullSecrets.0"), "nothing below a list");
        assert.ok(!bitnami.has("image.tag.x"), "nothing below a scalar");
        assert.ok(!bitnami.has("backup.cronjob.timeZone"));
        assert.ok(!bitnami.has([]));
    });

    it("keep the image and pull-secret defaults of QALITA 2.11.6's postgresql", () => {
        const qalita = upstreamValues("qalita-2.11.6.values.yaml");
        assert.equal(qalita.source.chart, "qalita");
        assert.equal(qalita.defaults["postgresql.image.registry"], "qalita.azurecr.io");
        assert.equal(qalita.defaults["postgresql.image.repository"], "postgresql");
        assert.equal(qalita.defaults["postgresql.image.tag"], "15.4.0");
        assert.deepEqual(qalita.defaults["postgresql.image.pullSecrets"], ["qalita-platform-dockerregistry"]);
        assert.ok(qalita.has("worker.deployment.extraEnv"), "an empty list");
    });

    it("sort every list, and paths round-trip through formatPath/parsePath", () => {
        for (const [name, facts] of [...parsed].filter(([n]) => n.startsWith("values/")) as [string, ValuesFacts][]) {
            for (const list of [facts.paths, facts.emptyMaps, facts.emptyLists])
                assert.deepEqual(
                    list,
                    [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
                    name,
                );
            for (const path of facts.paths) assert.equal(formatPath(parsePath(path)), path);
            for (const path of [...facts.emptyMaps, ...facts.emptyLists, ...Object.keys(facts.defaults)])
                assert.ok(facts.paths.includes(path), `${name}: ${path}`);
            assert.ok(valuesKeys(facts).has(facts.paths[0]));
        }
        assert.throws(() => parsePath(".a"));
        assert.throws(() => parsePath('a["b"]c'));
        assert.deepEqual(parsePath('a["b.c"].d'), ["a", "b.c", "d"]);
    });
});
