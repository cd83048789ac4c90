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

    it("spells out PostgreSQL's dump, its offsite copy and both snapshots, each with its destination", () => {
        const paths = byElement.postgresql.paths;
        assert.deepEqual(
            paths.map((path) => path.mechanism),
            ["pg-dump", "offsite-copy", "volume-snapshot", "volume-snapshot"],
        );
        const offsite = paths[1];
        // The DrSpec's prefix and offsite schedule, nothing recomputed.
        assert.ok(offsite.destination.startsWith(`s3://${spec.coldStorage.bucketName}/${spec.elements.postgresql.coldStoragePrefix} (`), offsite.destination);
        assert.match(offsite.schedule, new RegExp(`"${spec.elements.postgresql.offsiteUtcCron!.replace(/\*/g, "\\*")}" UTC`));
        assert.equal(paths[2].destination, "VolumeSnapshots of postgresql-data PVCs (default class)");
        assert.equal(byElement.postgresql.rpoHours, Math.min(...paths.map((path) => path.rpoHours)));
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
