import { strict as assert } from "node:assert";
import { crdValidator } from "../support/crd-schema";
import { planJson, PROJECT_DIR } from "../support/plan-cli";

describe("planned Kubernetes objects against their real schemas", () => {
    let steps: any[];
    before(() => {
        steps = planJson("dev", PROJECT_DIR).steps;
    });

    it("every SnapshotSchedule validates against snapscheduler's CRD", () => {
        const validate = crdValidator("snapscheduler.backube_snapshotschedules.yaml", "v1");
        const schedules = steps.filter((step) => step.newState.type === "kubernetes:snapscheduler.backube/v1:SnapshotSchedule");
        assert.ok(schedules.length >= 2);
        for (const step of schedules) {
            const object = { apiVersion: "snapscheduler.backube/v1", kind: "SnapshotSchedule", ...step.newState.inputs };
            assert.deepEqual(validate(object), [], step.urn);
            assert.ok(object.spec.retention.maxCount >= 2, "maxCount ≥ 2 (backube/snapscheduler#688)");
        }
    });

    it("the validator does reject a malformed schedule", () => {
        const validate = crdValidator("snapscheduler.backube_snapshotschedules.yaml", "v1");
        const errors = validate({ apiVersion: "snapscheduler.backube/v1", kind: "SnapshotSchedule", metadata: { name: "x" }, spec: { retention: { maxCount: 0, expires: 5 } } });
        assert.ok(errors.length >= 2, errors.join("; "));
    });
});
