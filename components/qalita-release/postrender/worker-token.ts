/**
 * Helm post-renderer logic (pure): one QALITA worker token per container.
 *
 * QALITA 2.11.6 `templates/worker-deployment.yaml` writes `worker.token` as a literal
 * `- name: QALITA_WORKER_TOKEN / value: ...` in both containers (`cli`, `worker`), then appends
 * `worker.deployment.extraEnv`, through which this stack adds the same name from a Secret
 * (components/agents/worker-values.ts). Charts up to 2.6.0 (`templates/agent-deployment.yaml`)
 * used the name QALITA_AGENT_TOKEN the same way. Two entries of one name are fine on a fresh
 * install (the last one wins in the container), but not on upgrades: helm's three-way strategic
 * merge pairs env entries by `name`, so the Secret entry gets merged into the live literal one
 * and the API server rejects "valueFrom: may not be specified when `value` is not empty".
 *
 * What this does, in every container (and init container) of every Deployment: when an env name
 * of WORKER_TOKEN_ENV_NAMES (contracts/qalita-chart.ts) occurs more than once and its LAST occurrence reads `valueFrom`, the earlier
 * occurrences are removed. Nothing else changes:
 * - the removed entries' lines are cut out of the text; every other byte of the stream (other
 *   documents, comments, quoting, the `# Source:` lines helm writes, the order of the remaining
 *   env entries) is left as it was;
 * - a container with a literal token and no `valueFrom` entry of that name, or whose last entry of
 *   that name is a literal, is left alone (the policy pack's worker-auth-from-secret rule flags it);
 * - if the env list is not in block style (the chart and helm's toYaml always write block style),
 *   that one document is re-serialized with the yaml Document API: comments and scalar styles are
 *   kept, but indentation and flow-collection spacing may be normalized.
 * Input that does not parse as YAML throws PostRenderError: the executable then exits non-zero
 * and helm aborts the install or upgrade.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { Document, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { WORKER_TOKEN_ENV_NAMES } from "../../../contracts/qalita-chart";

/** Kinds whose pod template is deduplicated. */
export const WORKLOAD_KINDS = ["Deployment"] as const;
const CONTAINER_FIELDS = ["containers", "initContainers"] as const;

/** The executable helm runs (worker-token-cli.js, beside this file). */
export const POSTRENDER_CLI = join(__dirname, "worker-token-cli.js");

export class PostRenderError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PostRenderError";
    }
}

/** One env entry taken out. */
export interface RemovedEnv {
    /** Index of the YAML document in the stream (0-based). */
    readonly document: number;
    readonly kind: string;
    readonly name: string;
    readonly container: string;
    readonly env: string;
    /** Its index in the container's env list before the removal. */
    readonly index: number;
}

/** A duplicated token name left as it was, and why. */
export interface KeptDuplicate {
    readonly document: number;
    readonly name: string;
    readonly container: string;
    readonly env: string;
    readonly reason: "last-is-literal";
}

export interface PostRenderResult {
    readonly manifest: string;
    readonly removed: readonly RemovedEnv[];
    readonly kept: readonly KeptDuplicate[];
    /** Documents re-serialized with the Document API instead of cut (non-block env lists). */
    readonly reserialized: readonly number[];
}

/** A text cut: [start, end) of the source. */
interface Cut {
    readonly start: number;
    readonly end: number;
}

/** The post-renderer: `manifest` with duplicated worker tokens reduced to their last (Secret) entry. */
export function postRenderWorkerToken(manifest: string): string {
    return dedupeWorkerTokens(manifest).manifest;
}

/** As postRenderWorkerToken, with what was removed, kept and re-serialized. */
export function dedupeWorkerTokens(manifest: string): PostRenderResult {
    const docs = parseAllDocuments(manifest, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: true });
    const problems = docs.flatMap((doc, i) => doc.errors.map((error) => `document ${i + 1}: ${error.message}`));
    if (problems.length > 0) {
        throw new PostRenderError(`the rendered manifest is not valid YAML, nothing was post-rendered:\n${problems.join("\n")}`);
    }

    const removed: RemovedEnv[] = [];
    const kept: KeptDuplicate[] = [];
    const reserialized: number[] = [];
    // Per document: the text cuts, or null when it must be re-serialized.
    const edits = new Map<number, { cuts: Cut[] | null; expected: Document }>();

    docs.forEach((doc, index) => {
        const kind = scalarAt(doc.contents, ["kind"]);
        if (!isMap(doc.contents) || !WORKLOAD_KINDS.includes(kind as (typeof WORKLOAD_KINDS)[number])) return;
        const podSpec = doc.getIn(["spec", "template", "spec"], true);
        if (!isMap(podSpec)) return;
        const workload = String(scalarAt(doc.contents, ["metadata", "name"]) ?? "");
        // Cuts are found on the parsed tree; the same removals applied to a clone give the
        // expected result, against which the cut text is checked.
        const expected = doc.clone();
        const cuts: Cut[] = [];
        let cuttable = true;
        let changed = false;
        for (const field of CONTAINER_FIELDS) {
            const containers = podSpec.get(field, true);
            if (!isSeq(containers)) continue;
            containers.items.forEach((container, c) => {
                if (!isMap(container)) return;
                const env = container.get("env", true);
                if (!isSeq(env)) return;
                const containerName = String(scalarAt(container, ["name"]) ?? `${field}[${c}]`);
                const drop = duplicatesToDrop(env);
                for (const name of drop.kept) {
                    kept.push({ document: index, name: workload, container: containerName, env: name, reason: "last-is-literal" });
                }
                if (drop.indices.length === 0) return;
                changed = true;
                for (const i of drop.indices) {
                    removed.push({ document: index, kind: String(kind), name: workload, container: containerName, env: envName(env.items[i])!, index: i });
                    const cut = cuttable ? itemCut(manifest, env, i) : null;
                    if (cut) cuts.push(cut);
                    else cuttable = false;
                }
                const expectedEnv = expected.getIn(["spec", "template", "spec", field, c, "env"], true) as YAMLSeq;
                expectedEnv.items = expectedEnv.items.filter((_, i) => !drop.indices.includes(i));
            });
        }
        if (changed) edits.set(index, { cuts: cuttable ? cuts : null, expected });
    });

    if (edits.size === 0) return { manifest, removed, kept, reserialized };

    // Rebuild the stream: untouched text as it was, edited documents cut (or re-serialized).
    let out = "";
    let cursor = 0;
    docs.forEach((doc, index) => {
        const edit = edits.get(index);
        if (!edit) return;
        const [start, , end] = doc.range;
        out += manifest.slice(cursor, start);
        const original = manifest.slice(start, end);
        let text = edit.cuts
            ? applyCuts(
                  original,
                  edit.cuts.map((cut) => ({ start: cut.start - start, end: cut.end - start })),
              )
            : null;
        if (text === null || !sameContent(text, edit.expected)) {
            text = reserialize(edit.expected, original);
            reserialized.push(index);
        }
        out += text;
        cursor = end;
    });
    out += manifest.slice(cursor);
    return { manifest: out, removed, kept, reserialized };
}

/**
 * The helm `postrender` path for the Release: relative to `cwd` (the program's working directory,
 * which is also the provider plugin's: the project root) so that the input does not change with
 * the checkout's location; absolute when this file is not below `cwd`.
 */
export function postrenderCommand(cwd: string = process.cwd()): string {
    const rel = relative(cwd, POSTRENDER_CLI);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return POSTRENDER_CLI;
    return `./${rel.split(sep).join("/")}`;
}

/** Indices of one container's env entries to drop, and the duplicated names left alone. */
function duplicatesToDrop(env: YAMLSeq): { indices: number[]; kept: string[] } {
    const indices: number[] = [];
    const kept: string[] = [];
    for (const name of WORKER_TOKEN_ENV_NAMES) {
        const same = env.items.flatMap((item, i) => (envName(item) === name ? [i] : []));
        if (same.length < 2) continue;
        const last = env.items[same[same.length - 1]] as YAMLMap;
        if (last.has("valueFrom")) indices.push(...same.slice(0, -1));
        else kept.push(name);
    }
    return { indices: indices.sort((a, b) => a - b), kept };
}

function envName(item: unknown): string | undefined {
    if (!isMap(item)) return undefined;
    const name = item.get("name");
    return typeof name === "string" ? name : undefined;
}

function scalarAt(node: unknown, path: string[]): unknown {
    let current = node;
    for (const key of path) {
        if (!isMap(current)) return undefined;
        current = current.get(key, true);
    }
    return isScalar(current) ? current.value : undefined;
}

/**
 * The text of block-sequence item `i`, whole lines: from the start of the line of its `-` to the
 * end of the line where its value ends. Comment lines after it stay (they precede the next item).
 * null when the item is not a `-` item alone at the start of its line (flow style, `- - x`).
 */
function itemCut(src: string, seq: YAMLSeq, i: number): Cut | null {
    if (seq.flow || (seq.srcToken && seq.srcToken.type !== "block-seq")) return null;
    const item = seq.items[i] as YAMLMap;
    if (!item.range) return null;
    let dash = item.range[0] - 1;
    while (dash >= 0 && src[dash] === " ") dash--;
    if (src[dash] !== "-") return null;
    const lineStart = src.lastIndexOf("\n", dash - 1) + 1;
    if (src.slice(lineStart, dash).trim() !== "") return null;
    const valueEnd = item.range[1];
    const newline = src.indexOf("\n", Math.max(valueEnd - 1, dash));
    return { start: lineStart, end: newline === -1 ? src.length : newline + 1 };
}

function applyCuts(text: string, cuts: Cut[]): string | null {
    const sorted = [...cuts].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return null;
    let out = "";
    let cursor = 0;
    for (const cut of sorted) {
        out += text.slice(cursor, cut.start);
        cursor = cut.end;
    }
    return out + text.slice(cursor);
}

/** Whether `text` parses to the same data (and comments-free structure) as `expected`. */
function sameContent(text: string, expected: Document): boolean {
    const doc = parseDocument(text, { uniqueKeys: false });
    return doc.errors.length === 0 && isDeepStrictEqual(doc.toJS({ maxAliasCount: -1 }), expected.toJS({ maxAliasCount: -1 }));
}

/** A document re-serialized (the Document API keeps its `---` marker and comments), newline as it had. */
function reserialize(doc: Document, original: string): string {
    const text = doc.toString({ lineWidth: 0 });
    return original.endsWith("\n") ? text : text.replace(/\n$/, "");
}
