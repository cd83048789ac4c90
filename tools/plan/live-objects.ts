/**
 * `npm run plan -- --live FILE`: the objects a program reads from the cluster (`Resource.get`),
 * taken from `kubectl get … -o yaml` output (a List, or several documents) instead of a cluster —
 * e.g. the Secrets of an installed release in adoption mode. Without it, reads are unknown, as a
 * plan with no cluster must show them. Secrets read this way stay Pulumi secrets in the plan.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { setLiveObject } from "./mocks";

export function loadLiveObjects(file: string): number {
    const objects = parseAllDocuments(readFileSync(file, "utf8"))
        .map((doc) => doc.toJS() as Record<string, any> | null)
        .flatMap((doc) => (doc?.kind === "List" ? (doc.items ?? []) : doc ? [doc] : []));
    for (const object of objects) {
        const { apiVersion, kind, metadata } = object;
        if (!apiVersion || !kind || !metadata?.name || !metadata?.namespace) {
            throw new Error(`${file}: every object needs apiVersion, kind, metadata.name and metadata.namespace (as kubectl get -o yaml prints them)`);
        }
        const group = String(apiVersion).includes("/") ? apiVersion : `core/${apiVersion}`;
        setLiveObject(`kubernetes:${group}:${kind}`, `${metadata.namespace}/${metadata.name}`, object);
    }
    return objects.length;
}
