// Issue 13 (3): an accepted risk (qalita-dr:elements.<element>.acceptRisk + riskReason), recorded
// in the stack, turns the violations it covers into advisories that carry the reason — visible,
// never silent — and covers nothing else.
import { strict as assert } from "node:assert";
import { PlanResource } from "../../contracts/preview";
import { toStackPolicies } from "../../policies/lib/crossguard";
import { evaluate } from "../../policies/lib/evaluate";
import { RULES } from "../../policies/rules";
import { drPostureComplete } from "../../policies/rules/dr-posture-complete";
import { postgresBackupEnabled } from "../../policies/rules/postgres-backup-enabled";
import { pvcSnapshotScheduled } from "../../policies/rules/pvc-snapshot-scheduled";

const STACK: PlanResource = { urn: "urn:pulumi:dev::qalita-dr::pulumi:pulumi:Stack::qalita-dr-dev", type: "pulumi:pulumi:Stack", props: {} };
const REASON = "the database is being migrated to a managed service with its own backups";

const release = (values: unknown): PlanResource => ({
    urn: "urn:pulumi:dev::qalita-dr::qalita-dr:qalita:Release$kubernetes:helm.sh/v3:Release::qalita-release",
    type: "kubernetes:helm.sh/v3:Release",
    props: { chart: "qalita", name: "qalita", namespace: "qalita", values },
});

function schedule(element: string, pvcSet: string, cron: string, selector: Record<string, string>): PlanResource {
    return {
        urn: `urn:pulumi:dev::qalita-dr::kubernetes:snapscheduler.backube/v1:SnapshotSchedule::${pvcSet}`,
        type: "kubernetes:snapscheduler.backube/v1:SnapshotSchedule",
        props: {
            metadata: {
                name: `qalita-dr-${pvcSet}`,
                namespace: "qalita",
                labels: { "dr.qalita.io/element": element, "dr.qalita.io/mechanism": "volume-snapshot", "dr.qalita.io/pvc-set": pvcSet },
            },
            spec: { schedule: cron, claimSelector: { matchLabels: selector }, retention: { expires: "8760h", maxCount: 20 } },
        },
    };
}

/** The ConfigMap components/accepted-risks.ts records an accepted risk with. */
function accepted(element: string, kind: string, reason: string | undefined = REASON): PlanResource {
    return {
        urn: `urn:pulumi:dev::qalita-dr::qalita-dr:risk:AcceptedRisks$kubernetes:core/v1:ConfigMap::accepted-risks-${element}`,
        type: "kubernetes:core/v1:ConfigMap",
        props: {
            metadata: {
                name: `qalita-dr-accepted-risk-${element}`,
                namespace: "qalita",
                labels: { "dr.qalita.io/element": element, "dr.qalita.io/accepted-risk": kind },
                annotations: reason === undefined ? {} : { "dr.qalita.io/accepted-risk-reason": reason },
            },
        },
    };
}

const s3Selector = { "app.kubernetes.io/instance": "qalita", "app.kubernetes.io/name": "seaweedfs" };
// PostgreSQL off (no dump, no data snapshots); s3 and agents as the stack deploys them.
const pgOff = [
    STACK,
    release({ worker: { pvc: { enabled: false } }, seaweedfs: { enabled: false } }),
    schedule("s3", "s3", "0 3 * * 0", s3Selector),
    schedule("agents", "agents", "0 4 * * 0", { "dr.qalita.io/pvc-set": "agents" }),
];
const rules = [drPostureComplete, postgresBackupEnabled, pvcSnapshotScheduled];

describe("accepted risks in the policy pack", () => {
    it("without a recorded acceptance, a disabled critical element fails three rules (mandatory)", () => {
        const violations = evaluate(rules, pgOff);
        assert.deepEqual(
            violations.map((violation) => [violation.policy, violation.enforcementLevel, violation.acceptedRisk]),
            [
                ["dr-posture-complete", "mandatory", undefined],
                ["postgres-backup-enabled", "mandatory", undefined],
                ["pvc-snapshot-scheduled", "mandatory", undefined],
            ],
        );
    });

    it("an accepted risk makes them advisory, each message ending with the reason", () => {
        const marker = accepted("postgresql", "element-disabled");
        const violations = evaluate(rules, [...pgOff, marker]);
        assert.equal(violations.length, 3);
        for (const violation of violations) {
            assert.equal(violation.enforcementLevel, "advisory", violation.message);
            assert.ok(violation.message.endsWith(`— risk accepted (qalita-dr:elements.postgresql.acceptRisk): ${REASON}`), violation.message);
            assert.deepEqual(violation.acceptedRisk, { element: "postgresql", kind: "element-disabled", reason: REASON, urn: marker.urn });
        }
    });

    it("covers only its element, its kind of gap, and only with a reason", () => {
        const levels = (...extra: PlanResource[]) => evaluate(rules, [...pgOff, ...extra]).map((violation) => violation.enforcementLevel);
        // Another element's acceptance, a looser schedule accepted (not "off"), a record without a reason: no cover.
        for (const marker of [accepted("s3", "element-disabled"), accepted("postgresql", "schedule-looser"), accepted("postgresql", "element-disabled", "  ")])
            assert.deepEqual(levels(marker), ["mandatory", "mandatory", "mandatory"], JSON.stringify(marker.props.metadata));
        // A looser schedule accepted covers a looser schedule.
        const monthly = [
            STACK,
            release({ postgresql: { backup: { enabled: true } }, worker: { pvc: { enabled: false } } }),
            schedule("s3", "s3", "0 3 1 * *", s3Selector),
        ];
        const looser = (...extra: PlanResource[]) =>
            evaluate([pvcSnapshotScheduled], [...monthly, ...extra])
                .filter((violation) => /seaweedfs/.test(violation.message))
                .map((violation) => violation.enforcementLevel);
        assert.deepEqual(looser(), ["mandatory", "mandatory"]);
        assert.deepEqual(looser(accepted("s3", "schedule-looser")), ["advisory", "advisory"]);
    });

    it("never covers what no risk acceptance is about (a bucket, a credential, a retention)", () => {
        assert.deepEqual(
            RULES.filter((rule) => rule.acceptsRisk).map((rule) => rule.name),
            ["dr-posture-complete", "postgres-backup-enabled", "pvc-snapshot-scheduled"],
        );
    });

    it("in CrossGuard, a rule that accepts risks gets an advisory <name>-risk-accepted policy reporting what the risk covers", () => {
        const policies = toStackPolicies(drPostureComplete);
        assert.deepEqual(
            policies.map((policy) => [policy.name, policy.enforcementLevel]),
            [
                ["dr-posture-complete", "mandatory"],
                ["dr-posture-complete-risk-accepted", "advisory"],
            ],
        );
        const reported = (resources: PlanResource[]) =>
            policies.map((policy) => {
                const messages: string[] = [];
                (policy as any).validateStack({ resources: resources.map((resource) => ({ ...resource, parent: undefined })) }, (message: string) =>
                    messages.push(message),
                );
                return messages;
            });
        assert.deepEqual(
            reported(pgOff).map((messages) => messages.length),
            [1, 0],
        );
        const [mandatory, advisory] = reported([...pgOff, accepted("postgresql", "element-disabled")]);
        assert.deepEqual(mandatory, []);
        assert.match(advisory[0], new RegExp(`risk accepted \\(qalita-dr:elements\\.postgresql\\.acceptRisk\\): ${REASON}$`));
    });
});
