/**
 * What the offline plan prints in adoption mode (`qalita-dr:adopt: true`): the exact sequence that
 * brings this stack's installed release under Pulumi without losing a value (docs/adopt.md).
 */
import { DrSpec } from "../../config/spec";
import { postgresqlName, qalitaSecretName } from "../../contracts/qalita-chart";

export function adoptionSteps(spec: DrSpec, stack: string): string {
    const { namespace: ns, release } = spec;
    const file = `${release}-values.installed.yaml`;
    return [
        `Adopting the installed release ${ns}/${release} (qalita-dr:adopt: true) — docs/adopt.md`,
        `  1. helm -n ${ns} get values ${release} -o yaml > ${file}   # holds secrets: keep it out of git, delete it after step 2`,
        `     helm -n ${ns} list --filter '^${release}$'   # qalita-dr:chartVersion must be the installed chart version (now ${spec.chartVersion})`,
        `  2. npm run adopt-values -- ${file} --stack ${stack}   # add the block it prints to Pulumi.${stack}.yaml, run the pulumi config set commands`,
        `  3. pulumi preview --stack ${stack} --diff --policy-pack policies   # "= import" of the release, then "~ update": no "- values…" line may remain`,
        `  4. pulumi up --stack ${stack} --policy-pack policies`,
        `  Pulumi CLI 3.174 or later imports and updates in one deployment; with an older CLI, see docs/adopt.md › Older Pulumi CLI.`,
        `  Secrets: read at preview from Secrets ${ns}/${qalitaSecretName(release)} and ${ns}/${postgresqlName(release)} unless set in qalita-dr:secrets.*; none is generated.`,
    ].join("\n");
}
