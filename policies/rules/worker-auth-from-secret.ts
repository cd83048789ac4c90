/**
 * worker-auth-from-secret — the QALITA worker authenticates with a token read from a Kubernetes
 * Secret, never one written in the release values. QALITA 2.11.6 writes `worker.token` (default
 * "changeme") as a literal QALITA_WORKER_TOKEN and appends `worker.deployment.extraEnv` after it,
 * so: no `worker.token` other than the chart's placeholder, no literal token in extraEnv, and
 * with the worker on, the last QALITA_WORKER_TOKEN of extraEnv comes from a secretKeyRef.
 */
import { isQalitaRelease } from "../lib/mechanisms";
import { known, UNKNOWN } from "../lib/plan-values";
import { Finding, RuleDefinition } from "../lib/resources";
import { CHART_DEFAULT_TOKEN, isWorkerTokenEnv, WORKER_ENV } from "../../contracts/qalita-chart";
import { BLINDED } from "../../contracts/preview";

export const workerAuthFromSecret: RuleDefinition = {
    name: "worker-auth-from-secret",
    description: "The QALITA worker's token comes from a Secret (extraEnv secretKeyRef), never as plain text in the release values.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation:
        "Give the worker's token from a Secret: qalita-dr:agents.tokenSecret { name, key } of an existing Secret, or pulumi config set --secret --path secrets.workerToken; remove worker.token and any literal QALITA_WORKER_TOKEN from the release values.",
    check(resources) {
        return resources.filter(isQalitaRelease).flatMap((release): Finding[] => {
            const values = known(() => release.props.values);
            if (values === UNKNOWN) return [];
            if (values === BLINDED) {
                return [
                    {
                        urn: release.urn,
                        message:
                            "the release's values are secret, so nobody can check how the worker authenticates; keep secrets out of `values` (valueYamlFiles or Secret references)",
                    },
                ];
            }
            const worker = (values as any)?.worker ?? {};
            const violations: Finding[] = [];
            if (typeof worker.token === "string" && worker.token !== "" && worker.token !== CHART_DEFAULT_TOKEN) {
                violations.push({
                    urn: release.urn,
                    message:
                        "values.worker.token is a token in plain text: remove it and set the token with pulumi config set --secret --path secrets.workerToken (or qalita-dr:agents.tokenSecret)",
                });
            }
            const extraEnv: any[] = Array.isArray(worker.deployment?.extraEnv) ? worker.deployment.extraEnv : [];
            for (const env of extraEnv.filter((e) => isWorkerTokenEnv(e?.name) && e?.value !== undefined && e.value !== "")) {
                violations.push({
                    urn: release.urn,
                    message: `values.worker.deployment.extraEnv sets ${env.name} as plain text: read it from a Secret (valueFrom.secretKeyRef)`,
                });
            }
            if (worker.enabled === true) {
                const last = extraEnv.filter((e) => e?.name === WORKER_ENV.token).pop();
                const ref = last?.valueFrom?.secretKeyRef;
                if (!ref?.name || !ref?.key) {
                    violations.push({
                        urn: release.urn,
                        message: `the worker is on but no QALITA_WORKER_TOKEN of values.worker.deployment.extraEnv comes last from a secretKeyRef: it authenticates with the chart's literal worker.token ("${CHART_DEFAULT_TOKEN}"); configure secrets.workerToken or qalita-dr:agents.tokenSecret`,
                    });
                }
            }
            return violations;
        });
    },
};
