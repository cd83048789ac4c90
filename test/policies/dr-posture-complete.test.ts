import { strict as assert } from "node:assert";
import { PlanResource } from "../../contracts/preview";
import { drPostureComplete } from "../../policies/rules/dr-posture-complete";

const STACK: PlanResource = { urn: "urn:pulumi:dev::qalita-dr::pulumi:pulumi:Stack::qalita-dr-dev", type: "pulumi:pulumi:Stack", props: {} };

function release(values: unknown): PlanResource {
    return {
        urn: "urn:pulumi:dev::qalita-dr::qalita-dr:qalita:Release$kubernetes:helm.sh/v3:Release::qalita-release",
        type: "kubernetes:helm.sh/v3:Release",
        props: { chart: "qalita", values },
    };
}

function schedule(element: string, spec: Record<string, unknown> = {}): PlanResource {
    return {
        urn: `urn:pulumi:dev::qalita-dr::kubernetes:snapscheduler.backube/v1:SnapshotSchedule::${element}`,
        type: "kubernetes:snapscheduler.backube/v1:SnapshotSchedule",
        props: { metadata: { labels: { "dr.qalita.io/element": element, "dr.qalita.io/mechanism": "volume-snapshot" } }, spec },
    };
}

const protectedStack = [STACK, release({ postgresql: { backup: { enabled: true } } }), schedule("s3"), schedule("agents")];

describe("policy dr-posture-complete", () => {
    it("passes when postgresql, s3 and agents each have a mechanism", () => {
        assert.deepEqual(drPostureComplete.check(protectedStack), []);
    });

    it("fails for postgresql when the release does not enable the backup, naming the release", () => {
        const violations = drPostureComplete.check([STACK, release({}), schedule("s3"), schedule("agents")]);
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /^postgresql \(critical\) has no backup mechanism/);
        assert.match(violations[0].urn!, /helm\.sh\/v3:Release::qalita-release$/);
    });

    it("fails for a moderate element with no schedule, or only a disabled one", () => {
        for (const agents of [[], [schedule("agents", { disabled: true })]]) {
            const violations = drPostureComplete.check([STACK, release({ postgresql: { backup: { enabled: true } } }), schedule("s3"), ...agents]);
            assert.deepEqual(
                violations.map((v) => v.message.split(" ")[0]),
                ["agents"],
            );
            assert.equal(violations[0].urn, STACK.urn);
        }
    });

    it("does not count a restore drill as a backup: it checks backups, it makes none", () => {
        const drill: PlanResource = {
            urn: "urn:x::kubernetes:batch/v1:CronJob::postgresql-drill-cronjob",
            type: "kubernetes:batch/v1:CronJob",
            props: { metadata: { labels: { "dr.qalita.io/element": "postgresql", "dr.qalita.io/mechanism": "restore-drill" } }, spec: {} },
        };
        const violations = drPostureComplete.check([STACK, release({}), drill, schedule("s3"), schedule("agents")]);
        assert.deepEqual(
            violations.map((v) => v.message.split(" ")[0]),
            ["postgresql"],
        );
    });

    it("does not count a labelled PVC patch as a mechanism", () => {
        const patch: PlanResource = {
            urn: "urn:x::kubernetes:core/v1:PersistentVolumeClaimPatch::p",
            type: "kubernetes:core/v1:PersistentVolumeClaimPatch",
            props: { metadata: { labels: { "dr.qalita.io/element": "agents", "dr.qalita.io/mechanism": "volume-snapshot" } } },
        };
        const violations = drPostureComplete.check([STACK, release({ postgresql: { backup: { enabled: true } } }), schedule("s3"), patch]);
        assert.deepEqual(
            violations.map((v) => v.message.split(" ")[0]),
            ["agents"],
        );
    });

    it("says why when the release values are blinded as secret", () => {
        const violations = drPostureComplete.check([STACK, release("[secret]"), schedule("s3"), schedule("agents")]);
        assert.match(violations[0].message, /values are secret/);
    });

    it("does not require low or stateless elements", () => {
        assert.ok(protectedStack.every((resource) => !/redis|frontend|backend/.test(resource.urn)));
        assert.deepEqual(drPostureComplete.check(protectedStack), []);
    });
});
