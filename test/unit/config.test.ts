import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CATALOG } from "../../config/catalog";
import { ConfigError } from "../../config/problems";
import { Problem } from "../../contracts/problem";
import { readRawConfig } from "../../config/from-pulumi";
import { resolveDrSpec } from "../../config/resolve";
import { resolveWithWorker, TEST_CONTEXT, WITH_WORKER } from "../support/config";
import { ELEMENTS, MAX_INTERVAL_HOURS } from "../../contracts/elements";

/** Problems of a config; `base` defaults to a stack with the worker on. */
function problemsOf(raw: Record<string, unknown>, base: Record<string, unknown> = WITH_WORKER): Problem[] {
    try {
        resolveDrSpec({ ...base, ...raw }, TEST_CONTEXT);
        return [];
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return [...error.problems];
    }
}

const backedUp = ELEMENTS.filter((element) => CATALOG[element].criticality !== "none");

describe("config → DrSpec", () => {
    it("applies QALITA's criticality table when nothing is configured", () => {
        const spec = resolveWithWorker({});
        assert.equal(spec.elements.postgresql.criticality, "critical");
        assert.equal(spec.elements.postgresql.schedule?.intervalHours, 24);
        assert.equal(spec.elements.s3.criticality, "moderate");
        assert.equal(spec.elements.agents.schedule?.intervalHours, 168);
        assert.equal(spec.elements.redis.enabled, false);
        assert.equal(spec.elements.frontend.criticality, "none");
        assert.equal(spec.namespace, "qalita");
    });

    it("resolves each element's cold-storage prefix and offsite schedule once: the DrSpec carries them", () => {
        // Its default schedule is monthly: enabling it alone is valid.
        assert.equal(resolveWithWorker({ elements: { redis: { enabled: true } } }).elements.redis.schedule?.intervalHours, 31 * 24);
        const spec = resolveWithWorker({ elements: { redis: { enabled: true, schedule: "0 5 * * 0" } } });
        assert.deepEqual(
            Object.fromEntries(ELEMENTS.map((element) => [element, [spec.elements[element].coldStoragePrefix, spec.elements[element].offsiteUtcCron]])),
            {
                // PostgreSQL's copy polls for complete dumps (dump-timing.ts); the others follow their schedule.
                postgresql: ["postgresql/", "30 * * * *"],
                s3: ["s3/", "0 3 * * 0"],
                agents: ["agents/", "0 4 * * 0"],
                // Redis has a lifecycle rule but no copy job; stateless elements have neither.
                redis: ["redis/", undefined],
                frontend: [undefined, undefined],
                backend: [undefined, undefined],
            },
        );
        for (const cold of spec.coldStorage.elements) assert.equal(cold.prefix, spec.elements[cold.element].coldStoragePrefix, cold.element);
        assert.equal(resolveWithWorker({ elements: { s3: { enabled: false } } }).elements.s3.offsiteUtcCron, undefined, "no copy of a disabled element");
    });

    it("checks every retention against two intervals with one rule and one message", () => {
        const [element] = problemsOf({ elements: { s3: { retentionDays: 13 } } });
        assert.equal(element.key, "qalita-dr:elements.s3.retentionDays");
        assert.match(
            element.message,
            /^13 days keeps fewer than 2 backups \(longest gap 7 days\): a failed run would leave none; write retentionDays: 14 or more$/,
        );
        const [data] = problemsOf({ snapshots: { postgresqlData: { schedule: "0 0 * * *", retentionDays: 1 } } });
        assert.equal(data.key, "qalita-dr:snapshots.postgresqlData.retentionDays");
        assert.match(data.message, /^1 days keeps fewer than 2 snapshots \(longest gap 24 h\): a failed run would leave none; write retentionDays: 2 or more$/);
    });

    it("needs the AWS region of the backup bucket", () => {
        assert.throws(
            () => resolveDrSpec(WITH_WORKER, { stack: "test", awsRegion: undefined }),
            (error: ConfigError) => error.problems.some((p) => p.key === "aws:region"),
        );
    });

    it("refuses an agents backup without the worker it backs up, naming both ways out", () => {
        const problems = problemsOf({}, {});
        assert.equal(problems.length, 1);
        assert.equal(problems[0].key, "qalita-dr:elements.agents.enabled");
        assert.match(problems[0].message, /releaseValues\.worker\.enabled: true, or elements\.agents\.enabled: false/);
        assert.deepEqual(problemsOf({ elements: { agents: { enabled: false } } }, {}), []);
    });

    it("refuses release values that override the stack's own keys or carry secrets", () => {
        const keys = problemsOf(
            { releaseValues: { worker: { enabled: true, token: "abc" }, postgresql: { backup: { enabled: false } }, backend: { secretKey: "x" } } },
            {},
        ).map((p) => p.key);
        // The worker is on but has no token source: that is a problem too.
        assert.deepEqual(keys.sort(), [
            "qalita-dr:agents.tokenSecret",
            "qalita-dr:releaseValues.backend.secretKey",
            "qalita-dr:releaseValues.postgresql.backup.enabled",
            "qalita-dr:releaseValues.worker.token",
        ]);
    });

    it("reads Pulumi's string-encoded config, ignoring other namespaces", () => {
        const raw = readRawConfig({
            "qalita-dr:namespace": "prod",
            "qalita-dr:manageRelease": "false",
            "aws:region": "eu-west-3",
            "qalita-dr:elements": '{"s3":{"retentionDays":30}}',
        });
        assert.deepEqual(raw, { namespace: "prod", manageRelease: false, elements: { s3: { retentionDays: 30 } } });
    });

    it("accepts a looser schedule only with acceptRisk and a reason", () => {
        const monthly = { elements: { s3: { schedule: "0 0 1 * *" } } };
        assert.match(problemsOf(monthly)[0].message, /needs one at least every 7 days/);
        const accepted = resolveWithWorker({
            elements: { s3: { schedule: "0 0 1 * *", retentionDays: 90, acceptRisk: true, riskReason: "archive-only SeaweedFS, rebuilt from sources" } },
        });
        assert.equal(accepted.elements.s3.acceptedRisk, "archive-only SeaweedFS, rebuilt from sources");
        assert.equal(problemsOf({ elements: { s3: { schedule: "0 0 1 * *", acceptRisk: true } } })[0].key, "qalita-dr:elements.s3.riskReason");
    });

    it("refuses stateless elements being switched on, with the key to remove", () => {
        const [problem] = problemsOf({ elements: { frontend: { enabled: true } } });
        assert.equal(problem.key, "qalita-dr:elements.frontend.enabled");
        assert.match(problem.message, /nothing to back up; remove this key/);
    });

    it("suggests the closest key or element for typos", () => {
        const problems = problemsOf({ namespce: "x", elements: { postgres: {}, s3: { shedule: "@weekly" } } });
        const byKey = Object.fromEntries(problems.map((problem) => [problem.key, problem.message]));
        assert.match(byKey["qalita-dr:namespce"], /did you mean "namespace"/);
        assert.match(byKey["qalita-dr:elements.postgres"], /unknown element "postgres"; did you mean "postgresql"/);
        assert.match(byKey["qalita-dr:elements.s3.shedule"], /did you mean "schedule"/);
    });

    describe("generated inputs", () => {
        const dailyish = fc.record({ minute: fc.integer({ min: 0, max: 59 }), hour: fc.integer({ min: 0, max: 23 }) });

        it("any daily schedule with retention ≥ 2 days resolves for every element", () => {
            fc.assert(
                fc.property(fc.constantFrom(...backedUp), dailyish, fc.integer({ min: 2, max: 3650 }), (element, { minute, hour }, retentionDays) => {
                    const spec = resolveWithWorker({ elements: { [element]: { enabled: true, schedule: `${minute} ${hour} * * *`, retentionDays } } });
                    assert.equal(spec.elements[element].schedule?.intervalHours, 24);
                    assert.equal(spec.elements[element].retentionDays, retentionDays);
                }),
                { numRuns: 100 },
            );
        });

        it("flags retention shorter than two intervals exactly when it is", () => {
            fc.assert(
                fc.property(
                    fc.constantFrom("s3", "agents"),
                    fc.integer({ min: 0, max: 6 }),
                    fc.integer({ min: 1, max: 30 }),
                    (element, weekday, retentionDays) => {
                        const problems = problemsOf({ elements: { [element]: { schedule: `0 3 * * ${weekday}`, retentionDays } } });
                        const flagged = problems.some((problem) => problem.key === `qalita-dr:elements.${element}.retentionDays`);
                        assert.equal(flagged, retentionDays < 14);
                    },
                ),
                { numRuns: 100 },
            );
        });

        it("flags a schedule looser than the criticality allows exactly when it is", () => {
            const everyNDays = fc.integer({ min: 1, max: 31 });
            fc.assert(
                fc.property(fc.constantFrom(...backedUp), everyNDays, (element, n) => {
                    const cron = `0 1 */${n} * *`;
                    const problems = problemsOf({ elements: { [element]: { enabled: true, schedule: cron, retentionDays: 400 } } });
                    const limit = MAX_INTERVAL_HOURS[CATALOG[element].criticality]!;
                    // */n on day-of-month restarts each month: the gap over a month end can be longer than n days.
                    const gapDays = Math.max(n, ...[28, 29, 30, 31].map((length) => length + 1 - (Math.floor((length - 1) / n) * n + 1)));
                    const flagged = problems.some((problem) => problem.key === `qalita-dr:elements.${element}.schedule`);
                    assert.equal(flagged, gapDays * 24 > limit, `${cron}: gap ${gapDays} d`);
                }),
                { numRuns: 150 },
            );
        });

        it("reports every injected mistake at once, each at its own key", () => {
            const mistake = fc.constantFrom(
                { path: ["elements", "postgresql", "schedule"], value: "0 2 * *", key: "qalita-dr:elements.postgresql.schedule" },
                { path: ["elements", "s3", "retentionDays"], value: 3, key: "qalita-dr:elements.s3.retentionDays" },
                { path: ["elements", "couchdb"], value: {}, key: "qalita-dr:elements.couchdb" },
                { path: ["elements", "agents", "retention"], value: 30, key: "qalita-dr:elements.agents.retention" },
                { path: ["elements", "postgresql", "timezone"], value: "Mars/Olympus", key: "qalita-dr:elements.postgresql.timezone" },
                { path: ["releese"], value: "qalita", key: "qalita-dr:releese" },
                { path: ["elements", "postgresql", "enabled"], value: false, key: "qalita-dr:elements.postgresql.enabled" },
            );
            fc.assert(
                fc.property(fc.uniqueArray(mistake, { minLength: 1, maxLength: 7, selector: (m) => m.key }), (mistakes) => {
                    const raw: Record<string, any> = {};
                    for (const { path, value } of mistakes) {
                        let node = raw;
                        for (const part of path.slice(0, -1)) node = node[part] ??= {};
                        node[path[path.length - 1]] = value;
                    }
                    const keys = problemsOf(raw).map((problem) => problem.key);
                    assert.deepEqual([...new Set(keys)].sort(), mistakes.map((m) => m.key).sort());
                }),
                { numRuns: 150 },
            );
        });

        it("never throws anything but a ConfigError on arbitrary JSON", () => {
            fc.assert(
                fc.property(fc.dictionary(fc.constantFrom("namespace", "elements", "snapshots", "x"), fc.jsonValue()), (raw) => {
                    try {
                        resolveWithWorker(raw);
                    } catch (error) {
                        assert.ok(error instanceof ConfigError, String(error));
                        assert.ok(error.problems.length > 0);
                        for (const problem of error.problems) assert.match(problem.key, /^qalita-dr:/);
                    }
                }),
                { numRuns: 200 },
            );
        });
    });
});
