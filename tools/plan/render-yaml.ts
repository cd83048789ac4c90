/**
 * `--out DIR`: the Kubernetes objects of the plan as YAML files, for GitOps users, plus the QALITA
 * values overlay. Secrets stay blinded: a file written here is safe to commit.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { PlanStep } from "./run-program";

/** `kubernetes:core/v1:ConfigMap` → apiVersion v1; `kubernetes:batch/v1:CronJob` → batch/v1. */
function apiVersionOf(type: string): string {
    const [, groupVersion] = type.split(":");
    return groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
}

export function writeManifests(steps: readonly PlanStep[], outDir: string, valuesYaml?: string): string[] {
    mkdirSync(outDir, { recursive: true });
    const written: string[] = [];
    for (const step of steps) {
        const { type, inputs, custom } = step.newState;
        if (!custom || !type.startsWith("kubernetes:") || type.startsWith("kubernetes:helm.sh/")) continue;
        const kind = type.split(":")[2];
        const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
        // Patch resources are partial objects applied server-side; their kind is the patched one.
        const objectKind = kind.replace(/Patch$/, "");
        const object = { apiVersion: apiVersionOf(type), kind: objectKind, ...inputs };
        const file = `${[metadata.namespace ?? "cluster", objectKind, metadata.name ?? step.urn.split("::").pop()].join("_").toLowerCase()}${kind.endsWith("Patch") ? ".patch" : ""}.yaml`;
        writeFileSync(join(outDir, file), stringify(object));
        written.push(file);
    }
    if (valuesYaml !== undefined) {
        writeFileSync(join(outDir, "qalita-values.yaml"), valuesYaml);
        written.push("qalita-values.yaml");
    }
    return written.sort();
}
