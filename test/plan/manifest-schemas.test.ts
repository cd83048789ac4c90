import { strict as assert } from "node:assert";
import { UNKNOWN_SENTINEL } from "../../contracts/preview";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { crdValidator } from "../support/crd-schema";
import { PrometheusRule } from "../support/prometheus-operator.mjs";
import { planJson, PROJECT_DIR, STACK_FIXTURES } from "../support/plan-cli";
import { assertRestrictedPod } from "../support/pod-security";

/** Core objects the stack may plan, with their schema from kubernetes-models. */
const CORE_MODELS: Record<string, new (data: any) => { validate(): void }> = {
    "kubernetes:batch/v1:CronJob": CronJob,
    "kubernetes:batch/v1:Job": Job,
    "kubernetes:core/v1:ConfigMap": ConfigMap,
    "kubernetes:core/v1:ServiceAccount": ServiceAccount,
    "kubernetes:core/v1:Secret": Secret,
    "kubernetes:core/v1:PersistentVolumeClaim": PersistentVolumeClaim,
    "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
};

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

    it("every PrometheusRule validates against the prometheus-operator models (@kubernetes-models/prometheus-operator), which refuse an invalid rule", () => {
        const rules = steps.filter((step) => step.newState.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        assert.equal(rules.length, 1, "Pulumi.dev.yaml enables monitoring");
        const object = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", ...rules[0].newState.inputs };
        new PrometheusRule(object).validate();
        const broken = structuredClone(object);
        broken.spec.groups[0].rules[1].for = "10 minutes";
        assert.throws(() => new PrometheusRule(broken).validate(), /for must match pattern/);
    });

    /** Blinded or unknown values read as strings where the schema wants an object: give them the right shape. */
    const unblinded = (inputs: any) =>
        Object.fromEntries(
            Object.entries(inputs).map(([key, value]) => [
                key,
                (value === "[secret]" || value === UNKNOWN_SENTINEL) && /data$|Data$/.test(key) ? { blinded: "x" } : value,
            ]),
        );

    const STACKS = [
        ["dev", PROJECT_DIR],
        ["restore-cold", STACK_FIXTURES],
        ["restore-agents", STACK_FIXTURES],
        ["snapshots-full", STACK_FIXTURES],
    ] as const;

    it("every VolumeSnapshotClass validates against the external-snapshotter CRD", () => {
        const validate = crdValidator("snapshot.storage.k8s.io_volumesnapshotclasses.yaml", "v1");
        const classes = planJson("snapshots-full").steps.filter(
            (step: any) => step.newState.type === "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass",
        );
        assert.equal(classes.length, 1);
        for (const step of classes)
            assert.deepEqual(validate({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", ...step.newState.inputs }), [], step.urn);
    });

    for (const [stack, dir] of STACKS) {
        it(`every core Kubernetes object of the ${stack} plan validates, and its pods are restricted`, () => {
            const objects = planJson(stack, dir).steps.filter((step: any) => step.newState.type.startsWith("kubernetes:") && step.newState.custom);
            const core = objects.filter((step: any) => CORE_MODELS[step.newState.type]);
            assert.ok(core.length >= 3);
            for (const step of core) {
                const Model = CORE_MODELS[step.newState.type];
                new Model(unblinded(step.newState.inputs)).validate();
                const pod = step.newState.inputs.spec?.jobTemplate?.spec?.template?.spec ?? step.newState.inputs.spec?.template?.spec;
                if (pod) assertRestrictedPod(pod, step.urn);
            }
            for (const step of objects.filter((s: any) => s.newState.type === "kubernetes:core/v1:ConfigMap")) {
                const data = step.newState.inputs.data ?? {};
                // Every file a script sources must be mounted beside it.
                for (const [file, text] of Object.entries<string>(data)) {
                    for (const [, sourced] of text.matchAll(/^source .*\/([\w.-]+\.sh)"/gm))
                        assert.ok(data[sourced], `${step.urn}: ${file} sources ${sourced}, which is not in its ConfigMap`);
                }
            }
            const unknown = objects.filter(
                (step: any) =>
                    !CORE_MODELS[step.newState.type] && !/helm\.sh|snapscheduler|snapshot\.storage|monitoring\.coreos\.com|Patch$/.test(step.newState.type),
            );
            assert.deepEqual(
                unknown.map((step: any) => step.newState.type),
                [],
                "every planned object type is schema-checked",
            );
        });
    }

    it("the validator does reject a malformed schedule", () => {
        const validate = crdValidator("snapscheduler.backube_snapshotschedules.yaml", "v1");
        const errors = validate({
            apiVersion: "snapscheduler.backube/v1",
            kind: "SnapshotSchedule",
            metadata: { name: "x" },
            spec: { retention: { maxCount: 0, expires: 5 } },
        });
        assert.ok(errors.length >= 2, errors.join("; "));
    });
});
