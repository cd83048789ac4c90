/**
 * dr-posture-complete — every element QALITA rates moderate or critical has at least one backup
 * mechanism deployed by the stack. Accepting a risk in config lets a plan run; it does not
 * satisfy this rule: the policy is where a reviewer sees the gap.
 */
import { findMechanisms, isQalitaRelease } from "../lib/mechanisms";
import { RuleDefinition, stackUrn } from "../lib/resources";
import { ELEMENT_CRITICALITY, ELEMENTS, requiresBackup } from "../../contracts/elements";
import { Mechanism, VERIFYING_MECHANISMS } from "../../contracts/labels";
import { BLINDED } from "../../contracts/preview";

export const drPostureComplete: RuleDefinition = {
    name: "dr-posture-complete",
    description: "Every QALITA element of moderate or critical criticality has at least one backup mechanism in the stack.",
    enforcementLevel: "mandatory",
    check(resources) {
        // A restore drill checks backups; it is not one.
        const found = findMechanisms(resources).filter(({ mechanism }) => !VERIFYING_MECHANISMS.includes(mechanism as Mechanism));
        const release = resources.find(isQalitaRelease);
        const violations = [];
        for (const element of ELEMENTS) {
            const criticality = ELEMENT_CRITICALITY[element];
            if (!requiresBackup(criticality) || found.some((mechanism) => mechanism.element === element)) continue;
            const secretValues = element === "postgresql" && release?.props.values === BLINDED;
            violations.push({
                urn: element === "postgresql" && release ? release.urn : stackUrn(resources),
                message: secretValues
                    ? "postgresql (critical): the QALITA release's values are secret, so its backup cannot be verified; keep secrets out of `values` (reference Kubernetes Secrets or use valueYamlFiles)"
                    : `${element} (${criticality}) has no backup mechanism in this stack; set qalita-dr:elements.${element}.enabled: true (an accepted risk does not satisfy this rule)`,
            });
        }
        return violations;
    },
};
