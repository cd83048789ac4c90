/**
 * Validates custom resources against the real upstream CRD schemas in shared/upstream (the same
 * openAPIV3Schema the API server would enforce; x-kubernetes-* extensions are ignored).
 */
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseAllDocuments } from "yaml";

export const UPSTREAM = resolve(__dirname, "../../../shared/upstream");

export function crdValidator(file: string, version: string): (object: unknown) => string[] {
    const crd = parseAllDocuments(readFileSync(resolve(UPSTREAM, file), "utf8")).map((doc) => doc.toJS()).find((doc) => doc?.kind === "CustomResourceDefinition");
    const schema = crd.spec.versions.find((v: any) => v.name === version)?.schema.openAPIV3Schema;
    if (!schema) throw new Error(`${file} has no version ${version}`);
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    return (object) => (validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`));
}
