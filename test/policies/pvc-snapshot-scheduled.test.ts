import { strict as assert } from "node:assert";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { resolveElement } from "../../config/elements/resolve";
import { resolveSnapshots } from "../../config/snapshots/resolve";
import { RawSnapshots, snapshotsSchema } from "../../config/snapshots/schema";
import { ElementSpec } from "../../config/spec";
import { plannedSchedules } from "../../components/snapshots/plan";
import { PlanResource, UNKNOWN_SENTINEL } from "../../contracts/preview";
import { pvcSnapshotScheduled } from "../../policies/rules/pvc-snapshot-scheduled";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy, unknownObjectValue } = require("@pulumi/policy/proxy");

const urn = (type: string, name: string) => `urn:pulumi:dev::qalita-dr::${type}::${name}`;
const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";
const SCHEDULE_TYPE = "kubernetes:snapscheduler.backube/v1:SnapshotSchedule";
const PATCH_TYPE = "kubernetes:core/v1:PersistentVolumeClaimPatch";

function release(values: unknown = { postgresql: { backup: { enabled: true } }, worker: { pvc: { enabled: true } } }): PlanResource {
    return { urn: urn(RELEASE_TYPE, "qalita-release"), type: RELEASE_TYPE, props: { chart: "qalita", name: "qalita", namespace: "qalita", values } };
}

/** The SnapshotSchedules and PVC patches the stack plans for this snapshots config. */
function stackResources(raw: RawSnapshots = {}, overrides: Partial<Record<ElementName, object>> = {}): PlanResource[] {
    const elements = Object.fromEntries(ELEMENTS.map((e) => [e, resolveElement(e, overrides[e] ?? {}).spec])) as Record<ElementName, ElementSpec>;
    const snapshots = resolveSnapshots(snapshotsSchema.parse(raw), { elements }).spec;
    return plannedSchedules({
        namespace: "qalita",
        release: "qalita",
        elements,
        snapshots,
        postgresqlDump: { keepDays: 7, snapshotUtcCron: "0 3 * * *" },
    }).flatMap((p) => [
        {
            urn: urn(SCHEDULE_TYPE, `snapshots-${p.pvcSet}-schedule`),
            type: SCHEDULE_TYPE,
            props: { metadata: { name: p.scheduleName, namespace: "qalita", labels: p.labels }, spec: p.spec },
        },
        ...p.claims.pvcsToLabel.map((pvc) => ({
            urn: urn(PATCH_TYPE, `label-${pvc}`),
            type: PATCH_TYPE,
            props: { metadata: { name: pvc, namespace: "qalita", labels: p.claims.patchLabels } },
        })),
    ]);
}

const messages = (resources: PlanResource[]) => pvcSnapshotScheduled.check(resources).map((v) => v.message);
const edit = (resources: PlanResource[], scheduleName: string, change: (props: any) => void) =>
    resources.map((r) => {
        if (r.props.metadata?.name !== scheduleName || r.type !== SCHEDULE_TYPE) return r;
        const props = JSON.parse(JSON.stringify(r.props));
        change(props);
        return { ...r, props };
    });

describe("policy pvc-snapshot-scheduled", () => {
    it("passes the stack's default schedules: every protected PVC selected often enough", () => {
        assert.deepEqual(pvcSnapshotScheduled.check([release(), ...stackResources()]), []);
    });

    it("fails without the PostgreSQL data snapshot, naming the PVC and the config key", () => {
        const [message, ...rest] = messages([release(), ...stackResources({ postgresqlData: { enabled: false } })]);
        assert.deepEqual(rest, []);
        assert.match(
            message,
            /PVC qalita\/data-qalita-postgresql-0 \(postgresql, critical\) is selected by no enabled SnapshotSchedule.*snapshots\.postgresqlData\.enabled: true/,
        );
    });

    it("fails a schedule too rare for the criticality, pointing at that schedule", () => {
        const resources = edit([release(), ...stackResources()], "qalita-dr-s3", (props) => {
            props.spec.schedule = "0 3 1 * *";
        });
        const violations = pvcSnapshotScheduled.check(resources);
        assert.equal(violations.length, 2, "volume and filer");
        assert.match(
            violations[0].message,
            /data1-seaweedfs-volume-0 \(s3, moderate\) is snapshotted by qalita-dr-s3 with up to \d+ h between snapshots; moderate needs at most 168 h/,
        );
        assert.equal(violations[0].urn, urn(SCHEDULE_TYPE, "snapshots-s3-schedule"));
    });

    it("does not count a disabled schedule, one in another namespace, or an unlabelled worker store", () => {
        const disabled = edit([release(), ...stackResources()], "qalita-dr-agents", (props) => {
            props.spec.disabled = true;
        });
        assert.match(messages(disabled).join("\n"), /qalita-worker-store \(agents, moderate\) is selected by no enabled/);
        const elsewhere = edit([release(), ...stackResources()], "qalita-dr-postgresql-dump", (props) => {
            props.metadata.namespace = "default";
        });
        assert.match(messages(elsewhere).join("\n"), /qalita-postgresql-pgdumpall/);
        const unpatched = [release(), ...stackResources()].filter((r) => r.type !== PATCH_TYPE);
        assert.match(messages(unpatched).join("\n"), /qalita-worker-store/);
    });

    it("expects only the PVCs the release values create", () => {
        const noWorker = [
            release({ postgresql: { backup: { enabled: true } }, worker: { pvc: { enabled: false } } }),
            ...stackResources({}, { agents: { enabled: false } }),
        ];
        assert.deepEqual(pvcSnapshotScheduled.check(noWorker), []);
        const secretValues = [release("[secret]"), ...stackResources({}, { agents: { enabled: false } })];
        assert.match(messages(secretValues).join("\n"), /qalita-worker-store/, "unreadable values: every PVC is expected");
        const noRelease = stackResources({ postgresqlData: { enabled: false } });
        assert.match(messages(noRelease)[0], /assumed release qalita in namespace qalita/);
    });

    it("trusts the stack's schedule for a set whose selector the config overrides", () => {
        assert.deepEqual(pvcSnapshotScheduled.check([release(), ...stackResources({ pvcLabels: { s3: { matchLabels: { app: "seaweedfs" } } } })]), []);
    });

    it("reports, rather than crashes on, values unknown during preview (JSON sentinel and CrossGuard proxy)", () => {
        const sentinel = edit([release(), ...stackResources()], "qalita-dr-postgresql-data", (props) => {
            props.spec.claimSelector = UNKNOWN_SENTINEL;
        });
        assert.match(
            messages(sentinel).join("\n"),
            /data-qalita-postgresql-0 .*could not verify during preview \(unknown qalita-dr-postgresql-data: spec\.claimSelector\)/,
        );
        const proxied = edit([release(), ...stackResources()], "qalita-dr-postgresql-data", (props) => {
            props.spec.claimSelector = unknownObjectValue;
        }).map((r) => ({ ...r, props: unknownCheckingProxy(r.props) }));
        assert.match(messages(proxied).join("\n"), /could not verify during preview/);
        const unknownRelease = [{ ...release(), props: { ...release().props, namespace: UNKNOWN_SENTINEL } }, ...stackResources()];
        assert.match(messages(unknownRelease)[0], /name or namespace is unknown during preview/);
    });
});
