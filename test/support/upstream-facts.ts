/**
 * The upstream facts the tests read: test/fixtures/upstream/, written by tools/upstream/derive.ts
 * from the upstream files (shared/upstream beside the checkout). Tests read only these, so they run
 * on a clone of the repository alone; test/unit/upstream-facts.test.ts keeps them up to date.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CrdFacts, ValuesFacts, ValuesKeys, valuesKeys } from "../../tools/upstream/facts";

export const FACTS_DIR = resolve(__dirname, "../fixtures/upstream");

const readJson = (name: string) => JSON.parse(readFileSync(resolve(FACTS_DIR, name), "utf8"));

/** The structural schema of one served version of the CRD in an upstream file, e.g. `snapscheduler.backube_snapshotschedules.yaml`. */
export function crdFacts(file: string, version: string): CrdFacts {
    const name = `crd/${file.replace(/\.ya?ml$/, "")}.${version}.json`;
    try {
        return readJson(name);
    } catch (error) {
        throw new Error(
            `no derived schema for ${file} ${version} (${name}): is it a served version? run npm run derive-upstream (${(error as Error).message})`,
        );
    }
}

/** The keys of an upstream values file, e.g. `bitnami-postgresql-12.12.10.values.yaml`. */
export function upstreamValues(file: string): ValuesKeys {
    return valuesKeys(readJson(`values/${file.replace(/\.values\.ya?ml$/, "")}.json`) as ValuesFacts);
}
