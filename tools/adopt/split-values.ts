/**
 * Adoption: the values of an installed QALITA release (`helm get values -o yaml`) split into what
 * the stack's config takes — readable values for `qalita-dr:releaseValues`, sensitive ones for
 * `qalita-dr:secretReleaseValues` (a Pulumi secret), settings the stack owns mapped to its own
 * keys — so that the first `pulumi up` applies every value the release had. Pure.
 */
import { OWNED_VALUE_PATHS, PINNED_VALUE_PATHS, SECRET_VALUE_PATHS } from "../../config/release-values";

/** Leaf names that hold a credential whatever their path (beyond the chart's known SECRET_VALUE_PATHS). */
const SENSITIVE_NAME = /(password|passwd|secret|token|license_?key|access_?key|private_?key|credential)/i;

export type Path = readonly string[];

export interface SplitValues {
    /** For `qalita-dr:releaseValues`. */
    readonly public: Record<string, unknown>;
    /** Paths for `qalita-dr:secretReleaseValues` (values read from the file when the commands run). */
    readonly secret: Path[];
    /** Stack config that carries a value the stack owns in the chart (e.g. agents.storageSize). */
    readonly config: Record<string, unknown>;
    /** Values the stack sets or pins itself, with what happens to each. */
    readonly dropped: { readonly path: Path; readonly why: string }[];
}

const dotted = (path: Path) => path.join(".");
const covers = (prefix: string, path: Path) => dotted(path) === prefix || dotted(path).startsWith(`${prefix}.`);

/** Leaves: scalars, lists (helm replaces them whole) and empty maps. */
function leaves(value: unknown, path: string[] = []): { path: string[]; value: unknown }[] {
    if (typeof value !== "object" || value === null || Array.isArray(value) || (Object.keys(value).length === 0 && path.length > 0)) return [{ path, value }];
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, [...path, key]));
}

export function setAt(target: Record<string, unknown>, path: Path, value: unknown): void {
    let node = target;
    path.slice(0, -1).forEach((key) => {
        if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
    });
    node[path[path.length - 1]] = value;
}

export function getAt(source: unknown, path: Path): unknown {
    return path.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), source);
}

export function splitUserValues(values: Record<string, unknown>): SplitValues {
    const split: SplitValues = { public: {}, secret: [], config: {}, dropped: [] };
    for (const { path, value } of leaves(values)) {
        if (path.length === 0) continue;
        if (covers("worker.pvc.storageSize", path)) {
            // The stack writes worker.pvc.storageSize from agents.storageSize: carry the size over (a PVC never shrinks).
            split.config["agents.storageSize"] = value;
            split.dropped.push({ path, why: `set by the stack from qalita-dr:agents.storageSize (${String(value)})` });
        } else if (OWNED_VALUE_PATHS.some((prefix) => covers(prefix, path))) {
            split.dropped.push({ path, why: "set by the stack from its DR spec (elements.*)" });
        } else if (PINNED_VALUE_PATHS.some((prefix) => covers(prefix, path))) {
            split.dropped.push({ path, why: "pinned by the stack: adopted from the release's Secret (or qalita-dr:secrets.*)" });
        } else if (SECRET_VALUE_PATHS.some((prefix) => covers(prefix, path)) || SENSITIVE_NAME.test(path[path.length - 1])) {
            split.secret.push(path);
        } else {
            setAt(split.public, path, value);
        }
    }
    return split;
}

/** `a.b` for `pulumi config set --path`, bracketed where a key has a dot or other special character. */
export function configPath(path: Path): string {
    return path.map((key, i) => (/^[A-Za-z_][\w-]*$/.test(key) ? `${i ? "." : ""}${key}` : `["${key.replace(/"/g, '\\"')}"]`)).join("");
}
