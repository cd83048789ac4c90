// The DR posture (components/posture.ts): one row per element, every protection path with its own
// RPO, destination and restore — the drPosture output and the plan's table — from the DrSpec and
// the snapshot plan alone.
import { strict as assert } from "node:assert";
import { buildPosture } from "../../components/posture";
import { plannedSchedules } from "../../components/snapshots/plan";
import { ELEMENTS } from "../../contracts/elements";
import { DrSpec } from "../../config/spec";
import { resolveWithWorker } from "../support/config";

const postureOf = (spec: DrSpec) =>
    buildPosture(
        spec,
        plannedSchedules({
            namespace: spec.namespace,
            release: spec.release,
            elements: spec.elements,
            snapshots: spec.snapshots,
            postgresqlDump: spec.postgresqlDump,
        }),
    );

describe("DR posture (components/posture.ts)", () => {
    const spec = resolveWithWorker({});
    const { rows, warnings } = postureOf(spec);
    const byElement = Object.fromEntries(rows.map((row) => [row.element, row]));

    it("has one row per element, in catalog order", () => {
        assert.deepEqual(
            rows.map((row) => row.element),
            [...ELEMENTS],
        );
        assert.deepEqual(byElement.frontend.mechanisms, []);
        assert.equal(byElement.frontend.schedule, "not needed");
        assert.equal(byElement.redis.schedule, "off");
    });

    it("spells out PostgreSQL's dump, its offsite copy, its drill and both snapshots, each with its destination", () => {
        const paths = byElement.postgresql.paths;
        assert.deepEqual(
            paths.map((path) => path.mechanism),
            ["pg-dump", "offsite-copy", "restore-drill", "volume-snapshot", "volume-snapshot"],
        );
        const offsite = paths[1];
        // The DrSpec's prefix and offsite schedule, nothing recomputed.
        assert.ok(offsite.destination.startsWith(`s3://${spec.coldStorage.bucketName}/${spec.elements.postgresql.coldStoragePrefix} (`), offsite.destination);
        assert.match(offsite.schedule, new RegExp(`"${spec.elements.postgresql.offsiteUtcCron!.replace(/\*/g, "\\*")}" UTC`));
        assert.equal(paths[3].destination, "VolumeSnapshots of postgresql-data PVCs (default class)");
        assert.equal(byElement.postgresql.rpoHours, Math.min(...paths.map((path) => path.rpoHours)));
    });

    it("shows the restore drill as a path of PostgreSQL: its schedule, the drilled path's worst case, the measured RTO", () => {
        const [offsite, drill] = byElement.postgresql.paths.slice(1, 3);
        assert.equal(drill.schedule, "At 05:00, only on Saturday (UTC)");
        assert.equal(drill.rpoHours, offsite.rpoHours, "the drill restores the cold copy");
        assert.match(drill.rto, /^measured by every drill: download \+ restore of the newest dump/);
        assert.equal(drill.retentionDays, 0, "a drill keeps nothing");
        assert.match(drill.restore, /^proves offsite-copy restores: .*docs\/drills\.md/);
        assert.deepEqual(byElement.postgresql.mechanisms, ["pg-dump", "offsite-copy", "restore-drill", "volume-snapshot"]);
        const fromPvc = postureOf(resolveWithWorker({ drills: { postgresql: { source: "pvc", timezone: "Europe/Paris", schedule: "0 6 * * 6" } } }));
        const pvcDrill = fromPvc.rows.find((row) => row.element === "postgresql")!.paths.find((path) => path.mechanism === "restore-drill")!;
        assert.match(pvcDrill.restore, /^proves pg-dump restores/);
        assert.match(pvcDrill.schedule, /deployed as "0 5 \* \* 6" UTC/);
        const off = postureOf(resolveWithWorker({ drills: { postgresql: { enabled: false } } })).rows.find((row) => row.element === "postgresql")!;
        assert.ok(!off.mechanisms.includes("restore-drill"));
    });

    it("reports the agents' copy as encrypted, and the snapshot gaps as warnings", () => {
        assert.match(byElement.agents.destination, /^s3:\/\/qalita-dr-test\/agents\/ \(.*\), rclone crypt/);
        assert.ok(warnings.some((warning) => /cluster's default class/.test(warning.message)));
        assert.ok(warnings.some((warning) => warning.element === "s3" && /hostPath/.test(warning.message)));
    });

    it("drops the offsite path of an element whose copy is off", () => {
        const { rows: off } = postureOf(resolveWithWorker({ elements: { s3: { enabled: false } } }));
        assert.equal(off.find((row) => row.element === "s3")!.schedule, "off");
    });
});
