/**
 * `--out DIR`: the Kubernetes objects of the plan as YAML files, for GitOps users, plus the QALITA
 * values overlay. Every file written is a manifest an API server accepts as it is: an object that
 * holds a secret, or a value known only once `pulumi up` has created it (an ARN AWS assigns), is
 * not written with a placeholder — it is listed in NOT-WRITTEN.txt with the reason. A file written
 * here is safe to commit. DIR keeps an index of what it wrote, so that writing again removes the
 * files of the previous run first (a stale restore Job must not be applied again by Argo CD).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { stringify } from "yaml";
import { BLINDED } from "../../contracts/preview";
import { PlanStep } from "./run-program";

export const INDEX_FILE = ".qalita-dr-out.json";
export const NOT_WRITTEN_FILE = "NOT-WRITTEN.txt";
/** The kube-prometheus-stack values the SnapshotSchedule freshness alerts need (stack output kubeStateMetricsValuesYaml). */
export const KSM_VALUES_FILE = "kube-prometheus-stack-values.yaml";

export class OutDirError extends Error {}

/** `kubernetes:core/v1:ConfigMap` → apiVersion v1; `kubernetes:batch/v1:CronJob` → batch/v1. */
function apiVersionOf(type: string): string {
    const [, groupVersion] = type.split(":");
    return groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
}

/** Paths (`spec.template…env[3].value`) whose value the plan cannot show: secret or unknown. */
export function unwritablePaths(value: unknown, path = ""): { path: string; why: "secret" | "unknown" }[] {
    if (value === BLINDED) return [{ path, why: "secret" }];
    if (value === unknownValue) return [{ path, why: "unknown" }];
    // List items by their name where they have one: env[DR_DEST_KMS_KEY_ARN] says more than env[6].
    if (Array.isArray(value)) return value.flatMap((item, i) => unwritablePaths(item, `${path}[${typeof item?.name === "string" ? item.name : i}]`));
    if (typeof value === "object" && value !== null)
        return Object.entries(value).flatMap(([key, inner]) => unwritablePaths(inner, path ? `${path}.${key}` : key));
    return [];
}

export interface WrittenManifests {
    readonly written: string[];
    readonly notWritten: { file: string; reasons: string[] }[];
}

/** Checks DIR may be written (before the program runs: a wrong --out fails at once), and empties it of the previous run. */
export function prepareOutDir(outDir: string): void {
    clearPreviousRun(outDir);
}

/** Writes into a directory prepared by prepareOutDir; `files`: other documents of the plan, by file name (absent ones skipped). */
export function writeManifests(
    steps: readonly PlanStep[],
    outDir: string,
    valuesYaml?: string,
    files: Readonly<Record<string, string | null | undefined>> = {},
): WrittenManifests {
    const written: string[] = [];
    const notWritten: WrittenManifests["notWritten"] = [];
    for (const step of steps) {
        const { type, inputs, custom } = step.newState;
        if (!custom || !type.startsWith("kubernetes:") || type.startsWith("kubernetes:helm.sh/")) continue;
        const kind = type.split(":")[2];
        const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
        // Patch resources are partial objects applied server-side; their kind is the patched one.
        const objectKind = kind.replace(/Patch$/, "");
        const object = { apiVersion: apiVersionOf(type), kind: objectKind, ...inputs };
        const file = `${[metadata.namespace ?? "cluster", objectKind, metadata.name ?? step.urn.split("::").pop()].join("_").toLowerCase()}${kind.endsWith("Patch") ? ".patch" : ""}.yaml`;
        const blocked = unwritablePaths(inputs);
        if (blocked.length > 0) {
            notWritten.push({
                file,
                reasons: blocked.map(
                    ({ path, why }) =>
                        `${path}: ${why === "secret" ? "a secret (created by pulumi up; never written to files)" : "known only after pulumi up creates it"}`,
                ),
            });
            continue;
        }
        writeFileSync(join(outDir, file), stringify(object));
        written.push(file);
    }
    if (valuesYaml !== undefined) {
        writeFileSync(join(outDir, "qalita-values.yaml"), valuesYaml);
        written.push("qalita-values.yaml");
    }
    for (const [file, content] of Object.entries(files)) {
        if (typeof content !== "string") continue;
        writeFileSync(join(outDir, file), content);
        written.push(file);
    }
    if (notWritten.length > 0) {
        writeFileSync(
            join(outDir, NOT_WRITTEN_FILE),
            [
                "Objects of the plan not written here: an API server would reject a placeholder, and a plan never invents a value.",
                "pulumi up deploys them; the pinned release secrets are the stack output pinnedSecretValuesYaml",
                "(pulumi stack output --show-secrets pinnedSecretValuesYaml > qalita-secret-values.yaml; keep it out of git).",
                "",
                ...notWritten.flatMap(({ file, reasons }) => [file, ...reasons.map((reason) => `  ${reason}`)]),
                "",
            ].join("\n"),
        );
        written.push(NOT_WRITTEN_FILE);
    }
    writeFileSync(join(outDir, INDEX_FILE), `${JSON.stringify({ writtenBy: "qalita-dr npm run plan -- --out", files: written.sort() }, null, 2)}\n`);
    return { written: written.sort(), notWritten };
}

/**
 * Removes what the previous `--out` run wrote into DIR (its index says which files); refuses a
 * directory holding files this tool did not write, so that nobody's files are mixed or lost.
 */
function clearPreviousRun(outDir: string): void {
    if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new OutDirError(`--out ${outDir}: not a directory; name a new or empty directory`);
    if (existsSync(outDir) && readdirSync(outDir).length === 0) return;
    if (!existsSync(outDir)) {
        mkdirSync(outDir, { recursive: true });
        return;
    }
    const indexPath = join(outDir, INDEX_FILE);
    if (!existsSync(indexPath)) {
        throw new OutDirError(`--out ${outDir}: the directory holds files this plan did not write; name a new or empty directory`);
    }
    const index = JSON.parse(readFileSync(indexPath, "utf8")) as { files?: unknown };
    for (const file of Array.isArray(index.files) ? index.files : []) {
        if (typeof file === "string" && !file.includes("/") && file !== "..") rmSync(join(outDir, file), { force: true });
    }
    rmSync(indexPath, { force: true });
}
