// Issue 13 (2): every number of the config is bounded by what its target accepts — S3's 32-bit
// day counts, snapscheduler's Go-duration `expires` and int32 `maxCount`, Prometheus' `for:` —
// and a value beyond is refused naming the key and the accepted range, before anything is planned.
import { strict as assert } from "node:assert";
import { ConfigError } from "../../config/problems";
import { resolveDrSpec } from "../../config/resolve";
import { volumeScheduleSpec } from "../../components/snapshots/schedule-spec";
import { GO_DURATION_MAX_HOURS, INT32_MAX, MAX_RETENTION_DAYS, S3_MAX_DAYS } from "../../contracts/limits";
import { Problem } from "../../contracts/problem";
import { TEST_CONTEXT, WITH_WORKER } from "../support/config";

function problemsOf(raw: Record<string, unknown>): Problem[] {
    try {
        resolveDrSpec({ ...WITH_WORKER, ...raw }, TEST_CONTEXT);
        return [];
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return [...error.problems];
    }
}

function messageAt(problems: readonly Problem[], key: string): string {
    const found = problems.find((problem) => problem.key === key);
    assert.ok(found, `no problem at ${key}: ${JSON.stringify(problems)}`);
    return found.message;
}

describe("config bounds (what each target accepts)", () => {
    it("the limits are the targets': int32, Go's longest duration in hours, and the retention that fits it", () => {
        assert.equal(INT32_MAX, 2 ** 31 - 1);
        assert.equal(S3_MAX_DAYS, INT32_MAX);
        // Go: 1<<63 - 1 nanoseconds = 2562047h47m16.854775807s.
        assert.equal(GO_DURATION_MAX_HOURS, 2562047);
        assert.equal(MAX_RETENTION_DAYS, 106751);
        assert.ok(MAX_RETENTION_DAYS * 24 <= GO_DURATION_MAX_HOURS && (MAX_RETENTION_DAYS + 1) * 24 > GO_DURATION_MAX_HOURS);
    });

    it("refuses retentionDays: 99999999999, naming the key and the maximum", () => {
        for (const element of ["postgresql", "s3", "agents", "redis"]) {
            const message = messageAt(problemsOf({ elements: { [element]: { retentionDays: 99999999999 } } }), `qalita-dr:elements.${element}.retentionDays`);
            assert.match(message, /from 1 to 106751/);
            assert.match(message, /Go duration of at most 2562047h/);
        }
    });

    it("accepts the longest retention, whose snapshot expiry is still a Go duration and maxCount an int32", () => {
        assert.deepEqual(problemsOf({ elements: { s3: { retentionDays: MAX_RETENTION_DAYS } } }), []);
        const schedule = volumeScheduleSpec(
            { utcCron: "* * * * *", intervalHours: 1 / 60, retentionDays: MAX_RETENTION_DAYS },
            {
                selector: { matchLabels: {} },
            } as never,
            {},
        );
        assert.ok(Number.parseInt(schedule.retention.expires, 10) <= GO_DURATION_MAX_HOURS, schedule.retention.expires);
        assert.ok(schedule.retention.maxCount <= INT32_MAX, String(schedule.retention.maxCount));
    });

    it("bounds every other day count by its target", () => {
        const problems = problemsOf({
            elements: {
                postgresql: { dump: { keepDays: 200000 } },
                s3: { tiering: [{ storageClass: "STANDARD_IA", afterDays: 99999999999 }] },
            },
            snapshots: { postgresqlData: { retentionDays: 200000 } },
            coldStorage: { objectLock: { mode: "GOVERNANCE", days: 3000000000 } },
        });
        assert.match(messageAt(problems, "qalita-dr:elements.postgresql.dump.keepDays"), /from 1 to 106751/);
        assert.match(messageAt(problems, "qalita-dr:elements.s3.tiering[0].afterDays"), /from 1 to 106751/);
        assert.match(messageAt(problems, "qalita-dr:snapshots.postgresqlData.retentionDays"), /from 1 to 106751/);
        assert.match(messageAt(problems, "qalita-dr:coldStorage.objectLock.days"), /from 1 to 2147483647 \(S3 takes day counts as 32-bit integers\)/);
    });

    it("bounds a monitoring grace by the Go duration its alert's for: becomes", () => {
        const message = messageAt(problemsOf({ monitoring: { grace: { low: "99999999999d" } } }), "qalita-dr:monitoring.grace.low");
        assert.match(message, /write at most "\d+h".*Go duration of at most 2562047h/);
        assert.deepEqual(problemsOf({ monitoring: { grace: { low: "1000d" } } }), []);
    });
});
