/**
 * dr-posture-complete — every element QALITA rates moderate or critical has at least one backup
 * mechanism deployed by the stack. An accepted risk (qalita-dr:elements.<element>.acceptRisk,
 * recorded in the stack) does not satisfy it: the violation stays, as advisory with the reason,
 * so a reviewer still sees the gap.
 */
import { findMechanisms, isQalitaRelease } from "../lib/mechanisms";
import { Finding, RuleDefinition, stackUrn } from "../lib/resources";
import { ELEMENT_CRITICALITY, ELEMENTS, requiresBackup } from "../../contracts/elements";
import { Mechanism, VERIFYING_MECHANISMS } from "../../contracts/labels";
import { BLINDED } from "../../contracts/preview";

export const drPostureComplete: RuleDefinition = {
    name: "dr-posture-complete",
    description: "Every QALITA element of moderate or critical criticality has at least one backup mechanism in the stack.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediation:
        "Back the element up: set qalita-dr:elements.<element>.enabled: true (the stack then deploys its dump, offsite copy or snapshots). If it must stay off, set acceptRisk: true with a riskReason: the violation is then reported as advisory, with the reason.",
    acceptsRisk: true,
    check(resources) {
        // A restore drill checks backups; it is not one.
        const found = findMechanisms(resources).filter(({ mechanism }) => !VERIFYING_MECHANISMS.includes(mechanism as Mechanism));
        const release = resources.find(isQalitaRelease);
        const violations: Finding[] = [];
        for (const element of ELEMENTS) {
            const criticality = ELEMENT_CRITICALITY[element];
            if (!requiresBackup(criticality) || found.some((mechanism) => mechanism.element === element)) continue;
            const secretValues = element === "postgresql" && release?.props.values === BLINDED;
            const urn = element === "postgresql" && release ? release.urn : stackUrn(resources);
            violations.push(
                secretValues
                    ? {
                          urn,
                          message:
                              "postgresql (critical): the QALITA release's values are secret, so its backup cannot be verified; keep secrets out of `values` (reference Kubernetes Secrets or use valueYamlFiles)",
                      }
                    : {
                          urn,
                          message: `${element} (${criticality}) has no backup mechanism in this stack; set qalita-dr:elements.${element}.enabled: true`,
                          risk: { element, gap: "no-backup" as const },
                      },
            );
        }
        return violations;
    },
};
