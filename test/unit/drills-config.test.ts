// `qalita-dr:drills` → DrSpec.drills, through the whole resolver: on by default wherever PostgreSQL's
// dumps reach cold storage, every mistake reported at its full key.
import { strict as assert } from "node:assert";
import { configProblems, resolveWithWorker } from "../support/config";

const PG_OFF = { postgresql: { enabled: false, acceptRisk: true, riskReason: "moving to a managed database with its own backups" } };
const problemKeys = configProblems;

describe("drills config → DrSpec.drills", () => {
    it("defaults: a weekly PostgreSQL drill from cold storage, Saturday 05:00 UTC, 20Gi of scratch, no Pushgateway", () => {
        const { drills } = resolveWithWorker({});
        assert.equal(drills.pushgatewayUrl, undefined);
        assert.equal(drills.postgresql?.source, "cold");
        assert.equal(drills.postgresql?.scratchSize, "20Gi");
        assert.equal(drills.postgresql?.schedule.utcCron, "0 5 * * 6");
        assert.equal(drills.postgresql?.schedule.intervalHours, 7 * 24);
    });

    it("takes a schedule in a timezone, the dump PVC as source, and a Pushgateway", () => {
        const { drills } = resolveWithWorker({
            drills: {
                pushgatewayUrl: "http://prometheus-pushgateway.monitoring:9091",
                postgresql: { schedule: "30 6 * * 0", timezone: "Europe/Paris", source: "pvc", scratchSize: "50Gi" },
            },
        });
        assert.equal(drills.pushgatewayUrl, "http://prometheus-pushgateway.monitoring:9091");
        assert.deepEqual([drills.postgresql?.source, drills.postgresql?.scratchSize, drills.postgresql?.schedule.utcCron], ["pvc", "50Gi", "30 5 * * 0"]);
    });

    it("is off when asked, and when PostgreSQL is not backed up (nothing to drill)", () => {
        assert.equal(resolveWithWorker({ drills: { postgresql: { enabled: false } } }).drills.postgresql, undefined);
        assert.equal(resolveWithWorker({ elements: PG_OFF }).drills.postgresql, undefined);
    });

    it("names the key of every mistake", () => {
        assert.deepEqual(problemKeys({ elements: PG_OFF, drills: { postgresql: { enabled: true } } }), [
            "qalita-dr:drills.postgresql.enabled: PostgreSQL is not backed up (elements.postgresql.enabled: false): there is no dump to drill; remove drills.postgresql or enable the element",
        ]);
        const keys = problemKeys({ drills: { postgresql: { schedule: "61 5 * * 6", timezone: "Europe/Pariss" } } }).map((p) => p.split(": ")[0]);
        assert.deepEqual(keys.sort(), ["qalita-dr:drills.postgresql.schedule", "qalita-dr:drills.postgresql.timezone"]);
        assert.match(problemKeys({ drills: { postgresql: { source: "s3" } } }).join("\n"), /^qalita-dr:drills\.postgresql\.source: write cold .* or pvc/m);
        assert.match(problemKeys({ drills: { pushgatewayUrl: "https://push.example.com" } }).join("\n"), /^qalita-dr:drills\.pushgatewayUrl: .*no https/m);
        assert.match(
            problemKeys({ drills: { postgresql: { scratchSize: "20G" } } }).join("\n"),
            /^qalita-dr:drills\.postgresql\.scratchSize: write a Kubernetes quantity/m,
        );
        assert.match(problemKeys({ drills: { postgresq: {} } }).join("\n"), /^qalita-dr:drills\.postgresq: .*postgresql/m);
    });
});
