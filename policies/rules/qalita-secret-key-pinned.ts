/**
 * qalita-secret-key-pinned — the QALITA release pins backend.secretKey and adminPassword (the
 * chart regenerates them on every upgrade when empty, and a database restored into a release with
 * another secretKey invalidates every agent token), and never as plain text in `values`.
 */
import { isQalitaRelease } from "../lib/mechanisms";
import { RuleDefinition } from "../lib/resources";
import { BLINDED } from "../../contracts/preview";

const PINNED = ["secretKey", "adminPassword"] as const;

function hasValuesFile(files: unknown): boolean {
    return files === BLINDED || (Array.isArray(files) && files.length > 0);
}

export const qalitaSecretKeyPinned: RuleDefinition = {
    name: "qalita-secret-key-pinned",
    description: "The QALITA release pins backend.secretKey and backend.adminPassword through a secret values file, never as plain text in values.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation:
        "Let the stack pin backend.secretKey and backend.adminPassword (a secret valueYamlFiles asset), or adopt an installed release's with pulumi config set --secret --path secrets.backendSecretKey / secrets.adminPassword; never write them in releaseValues.",
    check(resources) {
        return resources.filter(isQalitaRelease).flatMap((release) => {
            const backend = typeof release.props.values === "object" ? (release.props.values?.backend ?? {}) : {};
            const literal = PINNED.filter((key) => typeof backend[key] === "string" && backend[key] !== "" && backend[key] !== BLINDED);
            if (literal.length > 0) {
                return [
                    {
                        urn: release.urn,
                        message: `values.backend.${literal.join(" and values.backend.")} is plain text in the release values; let the stack pin it (it goes through a secret valueYamlFiles asset) or adopt yours with pulumi config set --secret --path secrets.backendSecretKey`,
                    },
                ];
            }
            if (!hasValuesFile(release.props.valueYamlFiles)) {
                return [
                    {
                        urn: release.urn,
                        message:
                            "backend.secretKey and backend.adminPassword are not pinned: the chart regenerates them on every upgrade, and a restored database then rejects every agent token; deploy the release through this stack (PinnedSecrets) or pin them in a secret values file",
                    },
                ];
            }
            return [];
        });
    },
};
