/**
 * npm run derive-upstream -- --upstream DIR [--check]
 * (or: npx ts-node --swc tools/upstream/derive.ts --upstream DIR [--check])
 *
 * Derives, from the upstream files in DIR (the maintainers keep their copy outside the repository;
 * a relative DIR is taken from the current directory), the facts the tests need, into
 * test/fixtures/upstream/, so that the tests run on a clone of the repository alone:
 * - crd/<file>.<version>.json: per CRD and served version, the openAPIV3Schema with the prose
 *   (description, title, example, externalDocs, validation messages) removed;
 * - values/<file>.json: per chart values file, the sorted leaf key paths, the keys whose default
 *   is an empty map or list, and the image and pull-secret defaults;
 * - index.json: every upstream file read, its sha256 and what came of it.
 * Every file names its source and the source's sha256. Output is byte-stable: keys sorted, 2-space
 * JSON. An upstream file or schema keyword it does not know stops it with an error: nothing is
 * silently left out. `--check` writes nothing and exits 1 when the committed files are stale.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { CliIo, defineCli, parseFlags, runAsProcess, UsageError } from "../cli";
import { parse, parseAllDocuments } from "yaml";
import { compareStrings, CrdFacts, formatPath, GENERATED_NOTE, HAS_RULE, leafPaths, stableJson, ValuesFacts } from "./facts";

export const REPO_ROOT = resolve(__dirname, "../..");
export const OUTPUT_DIR = resolve(REPO_ROOT, "test/fixtures/upstream");

/** Derived file name (relative to OUTPUT_DIR, `/`-separated) → its exact content. */
export type DerivedFiles = Map<string, string>;

/** The files this script owns under OUTPUT_DIR (anything else there, e.g. README.md, is left alone). */
export function isDerivedName(name: string): boolean {
    return name === "index.json" || /^(crd|values)\/[^/]+\.json$/.test(name);
}

/**
 * Values defaults a test may compare against: images, registries, pull secrets; and the backup
 * pod's identity and mount (uid, gid, fsGroup, mountPath), which tests run the dump as.
 */
const DEFAULT_KEY =
    /(^|\.)(image\.(registry|repository|tag|digest)|pullSecrets|imagePullSecrets|imageRegistry)$|(^|\.)backup\.cronjob\.(podSecurityContext\..+|containerSecurityContext\.(runAsUser|runAsGroup|readOnlyRootFilesystem)|storage\.mountPath|restartPolicy)$/;

/** `<chart>-<version>.values.yaml`, e.g. `bitnami-postgresql-12.12.10.values.yaml`. */
const VALUES_FILE = /^(.+)-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)\.values\.ya?ml$/;

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

export function deriveUpstream(upstreamDir: string): DerivedFiles {
    if (!existsSync(upstreamDir) || !statSync(upstreamDir).isDirectory()) throw new Error(`no upstream directory at ${upstreamDir}`);
    const files: DerivedFiles = new Map();
    const index: unknown[] = [];
    const names = readdirSync(upstreamDir)
        .filter((name) => !name.startsWith("."))
        .sort(compareStrings);
    if (names.length === 0) throw new Error(`${upstreamDir} is empty`);
    for (const name of names) {
        const bytes = readFileSync(join(upstreamDir, name));
        const source = { file: name, sha256: sha256(bytes) };
        const text = bytes.toString("utf8");
        const values = VALUES_FILE.exec(name);
        const entry = values
            ? deriveValues(text, { ...source, chart: values[1].replace(/^bitnami-/, "bitnami/"), version: values[2] }, files)
            : /\.ya?ml$/.test(name)
              ? deriveCrds(text, source, files)
              : undefined;
        if (!entry) throw new Error(`${name}: neither a CRD nor a <chart>-<version>.values.yaml file; teach tools/upstream/derive.ts about it`);
        index.push({ ...source, ...entry });
    }
    files.set("index.json", stableJson({ $comment: GENERATED_NOTE, upstream: index }));
    return new Map([...files].sort(([a], [b]) => compareStrings(a, b)));
}

// ---------------------------------------------------------------------------------------------
// CRDs

function deriveCrds(text: string, source: { file: string; sha256: string }, out: DerivedFiles) {
    const docs = parseAllDocuments(text);
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
        if (doc.errors.length > 0) throw new Error(`${source.file}: ${doc.errors[0].message}`);
    }
    const crds = (Array.isArray(docs) ? docs : [docs]).map((doc) => doc.toJS()).filter((doc) => doc?.kind === "CustomResourceDefinition");
    if (crds.length === 0) return undefined;
    if (crds.length > 1) throw new Error(`${source.file}: ${crds.length} CRDs in one file; derive.ts names its output by file, one CRD each`);
    const crd = crds[0];
    const base = source.file.replace(/\.ya?ml$/, "");
    const derived: string[] = [];
    const skipped: { version: string; reason: string }[] = [];
    for (const version of crd.spec.versions as any[]) {
        if (!version.served) {
            skipped.push({ version: version.name, reason: "not served" });
            continue;
        }
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`${source.file}: served version ${version.name} has no openAPIV3Schema`);
        const facts: CrdFacts = {
            $comment: GENERATED_NOTE,
            source: {
                ...source,
                crd: crd.metadata.name,
                group: crd.spec.group,
                kind: crd.spec.names.kind,
                version: version.name,
                storage: Boolean(version.storage),
                deprecated: Boolean(version.deprecated),
                ...(crd.metadata.annotations?.["controller-gen.kubebuilder.io/version"]
                    ? { controllerGen: crd.metadata.annotations["controller-gen.kubebuilder.io/version"] }
                    : {}),
            },
            schema: structural(schema, `${source.file} ${version.name}`, ""),
        };
        const name = `crd/${base}.${version.name}.json`;
        out.set(name, stableJson(facts));
        derived.push(name);
    }
    return { kind: "crd", crd: crd.metadata.name, derived, skipped };
}

/** Prose: dropped. */
const PROSE = new Set(["description", "title", "example", "externalDocs"]);
/** Constraints and Kubernetes markers: kept as they are. */
const KEPT = new Set([
    "type",
    "format",
    "pattern",
    "enum",
    "const",
    "default",
    "nullable",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
]);
/** Of a CEL validation rule, all but its `message`. */
const RULE_KEYS = new Set(["rule", "messageExpression", "fieldPath", "reason", "optionalOldSelf"]);

function structural(node: unknown, where: string, at: string): Record<string, unknown> {
    if (typeof node !== "object" || node === null || Array.isArray(node)) throw new Error(`${where}: schema at ${at || "/"} is not an object`);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
        const here = `${at}/${key}`;
        if (PROSE.has(key)) continue;
        else if (KEPT.has(key)) out[key] = value;
        else if (key === "properties")
            out[key] = Object.fromEntries(Object.entries(value as object).map(([name, inner]) => [name, structural(inner, where, `${here}/${name}`)]));
        else if (key === "additionalProperties") out[key] = typeof value === "boolean" ? value : structural(value, where, here);
        else if (key === "items")
            out[key] = Array.isArray(value) ? value.map((inner, i) => structural(inner, where, `${here}/${i}`)) : structural(value, where, here);
        else if (key === "oneOf" || key === "anyOf" || key === "allOf")
            out[key] = (value as unknown[]).map((inner, i) => structural(inner, where, `${here}/${i}`));
        else if (key === "not") out[key] = structural(value, where, here);
        else if (key === "x-kubernetes-validations") {
            out[key] = (value as Record<string, unknown>[]).map((rule, i) =>
                Object.fromEntries(
                    Object.entries(rule).filter(([name]) => {
                        if (name === "message") return false;
                        if (!RULE_KEYS.has(name)) throw new Error(`${where}: unknown validation rule field "${name}" at ${here}/${i}`);
                        return true;
                    }),
                ),
            );
        } else throw new Error(`${where}: unknown schema keyword "${key}" at ${here}; decide in tools/upstream/derive.ts whether it is prose or structure`);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Values files

function deriveValues(text: string, source: { file: string; sha256: string; chart: string; version: string }, out: DerivedFiles) {
    // Helm reads values as YAML 1.1 (go-yaml); parse errors and duplicate keys throw.
    const values = parse(text, { version: "1.1" }) ?? {};
    if (typeof values !== "object" || Array.isArray(values)) throw new Error(`${source.file}: values are not a map`);
    const leaves = leafPaths(values);
    const valueAt = (segments: string[]) => segments.reduce<any>((node, key) => node[key], values);
    const paths = leaves.map(formatPath);
    const kindOf = (segments: string[]) => {
        const value = valueAt(segments);
        return Array.isArray(value) ? (value.length === 0 ? "emptyList" : "list") : typeof value === "object" && value !== null ? "emptyMap" : "scalar";
    };
    const sorted = (list: string[]) => [...new Set(list)].sort(compareStrings);
    const facts: ValuesFacts = {
        $comment: GENERATED_NOTE,
        source,
        rule: HAS_RULE,
        paths: sorted(paths),
        emptyMaps: sorted(leaves.filter((segments) => kindOf(segments) === "emptyMap").map(formatPath)),
        emptyLists: sorted(leaves.filter((segments) => kindOf(segments) === "emptyList").map(formatPath)),
        defaults: Object.fromEntries(
            leaves.filter((segments) => DEFAULT_KEY.test(formatPath(segments))).map((segments) => [formatPath(segments), valueAt(segments)]),
        ),
    };
    const name = `values/${source.file.replace(/\.values\.ya?ml$/, "")}.json`;
    out.set(name, stableJson(facts));
    return { kind: "values", chart: source.chart, version: source.version, derived: [name], skipped: [] };
}

// ---------------------------------------------------------------------------------------------
// Files on disk

/** The derived files now under `dir` (only the names this script owns). */
export function readDerived(dir: string = OUTPUT_DIR): DerivedFiles {
    const files: DerivedFiles = new Map();
    const walk = (at: string) => {
        if (!existsSync(at)) return;
        for (const name of readdirSync(at).sort(compareStrings)) {
            const path = join(at, name);
            if (statSync(path).isDirectory()) walk(path);
            else {
                const rel = relative(dir, path).split("\\").join("/");
                if (isDerivedName(rel)) files.set(rel, readFileSync(path, "utf8"));
            }
        }
    };
    walk(dir);
    return files;
}

/** Names that differ between two sets of derived files: added, removed or changed. */
export function staleNames(expected: DerivedFiles, actual: DerivedFiles): string[] {
    const names = new Set([...expected.keys(), ...actual.keys()]);
    return [...names].filter((name) => expected.get(name) !== actual.get(name)).sort(compareStrings);
}

export function writeDerived(files: DerivedFiles, dir: string = OUTPUT_DIR): string[] {
    const current = readDerived(dir);
    const changed = staleNames(files, current);
    for (const name of changed) {
        const path = join(dir, name);
        const content = files.get(name);
        if (content === undefined) rmSync(path);
        else {
            mkdirSync(resolve(path, ".."), { recursive: true });
            writeFileSync(path, content);
        }
    }
    return changed;
}

const USAGE = `usage: npm run derive-upstream -- --upstream DIR [--check]

Derives the upstream facts the tests check against (CRD schemas, chart values) from the upstream
files in DIR into test/fixtures/upstream/; --check writes nothing and exits 1 when they are stale.
`;

function main(argv: string[], io: CliIo): number {
    const { values: flags } = parseFlags(argv, { upstream: { type: "string" }, check: { type: "boolean", default: false } });
    if (!flags.upstream) throw new UsageError("name the directory of the upstream files with --upstream DIR");
    const upstream = resolve(flags.upstream);
    const files = deriveUpstream(upstream);
    const shown = relative(process.cwd(), OUTPUT_DIR) || ".";
    if (flags.check) {
        const stale = staleNames(files, readDerived());
        if (stale.length === 0) {
            io.stdout(`${shown}: ${files.size} files up to date with ${upstream}\n`);
            return 0;
        }
        io.stderr(`${shown} is stale against ${upstream} (run npm run derive-upstream):\n${stale.map((name) => `  ${name}`).join("\n")}\n`);
        return 1;
    }
    const changed = writeDerived(files);
    io.stdout(`${shown}: ${files.size} files from ${upstream}; ${changed.length === 0 ? "none changed" : `changed: ${changed.join(", ")}`}\n`);
    return 0;
}

/** An upstream file it cannot read or does not know is the upstream copy's problem: exit 1, one line. */
export const deriveUpstreamCli = defineCli(USAGE, (argv, io) => {
    try {
        return main(argv, io);
    } catch (error) {
        if (error instanceof UsageError) throw error;
        io.stderr(`derive-upstream: ${(error as Error).message}\n`);
        return 1;
    }
});

if (require.main === module) runAsProcess(deriveUpstreamCli);
