// Issue 13 (3): the risks the config accepts are recorded in the cluster, as the policy pack reads them.
import { strict as assert } from "node:assert";
import { acceptedRiskConfigMap, acceptedRisks } from "../../components/accepted-risks";
import { acceptedRisks as recordedRisks } from "../../policies/lib/accepted-risks";
import { resolveWithWorker } from "../support/config";

const PG_OFF = { postgresql: { enabled: false, acceptRisk: true, riskReason: "moved to a managed database with its own backups" } };
const S3_MONTHLY = { s3: { schedule: "0 3 1 * *", acceptRisk: true, riskReason: "archive-only SeaweedFS, rebuilt from sources" } };

const risksOf = (elements: Record<string, unknown>) => acceptedRisks(Object.values(resolveWithWorker({ elements }).elements));

describe("accepted risks (components/accepted-risks.ts)", () => {
    it("records a disabled critical element and a looser schedule, each with its reason", () => {
        assert.deepEqual(risksOf({ ...PG_OFF, ...S3_MONTHLY }), [
            { element: "postgresql", criticality: "critical", kind: "element-disabled", reason: PG_OFF.postgresql.riskReason },
            { element: "s3", criticality: "moderate", kind: "schedule-looser", reason: S3_MONTHLY.s3.riskReason },
        ]);
    });

    it("records nothing for an acceptance with nothing at risk, and never an unaccepted risk", () => {
        assert.deepEqual(risksOf({ s3: { schedule: "@weekly", acceptRisk: true, riskReason: "nothing is looser than allowed here" } }), []);
        assert.deepEqual(risksOf({ agents: { enabled: false } }), []);
        assert.deepEqual(risksOf({}), []);
    });

    it("writes a ConfigMap the policy pack reads back as the same accepted risk", () => {
        const [risk] = risksOf(PG_OFF);
        const manifest = acceptedRiskConfigMap(risk, { namespace: "qalita", release: "qalita" });
        assert.equal(manifest.metadata.name, "qalita-dr-accepted-risk-postgresql");
        assert.equal(manifest.data.config, "qalita-dr:elements.postgresql.acceptRisk");
        const urn = "urn:pulumi:dev::qalita-dr::kubernetes:core/v1:ConfigMap::accepted-risks-postgresql";
        assert.deepEqual(recordedRisks([{ urn, type: "kubernetes:core/v1:ConfigMap", props: manifest }]), [
            { element: "postgresql", kind: "element-disabled", reason: risk.reason, urn },
        ]);
    });
});
