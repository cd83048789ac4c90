/**
 * Validates custom resources against the real upstream CRD schemas (the same openAPIV3Schema the
 * API server would enforce, as derived into test/fixtures/upstream/ without its prose; CEL rules
 * and other x-kubernetes-* extensions are ignored).
 */
import Ajv from "ajv";
import { crdFacts } from "./upstream-facts";

/** `file` is the upstream CRD file's name, e.g. `snapscheduler.backube_snapshotschedules.yaml`. */
export function crdValidator(file: string, version: string): (object: unknown) => string[] {
    const { schema } = crdFacts(file, version);
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    return (object) => (validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`));
}
