import { strict as assert } from "node:assert";
import fc from "fast-check";
import { configProblems } from "../support/config";

const problems = (tiering: unknown, retentionDays: number) => configProblems({ elements: { postgresql: { retentionDays, tiering } } });

describe("tiering in the stack config", () => {
    it("accepts the documented critical waterfall", () => {
        assert.deepEqual(
            problems(
                [
                    { storageClass: "STANDARD_IA", afterDays: 30 },
                    { storageClass: "GLACIER_IR", afterDays: 90 },
                    { storageClass: "DEEP_ARCHIVE", afterDays: 180 },
                ],
                365,
            ),
            [],
        );
    });

    it("names each S3 rejection and costly mistake at the key to edit", () => {
        const found = problems(
            [
                { storageClass: "STANDARD_IA", afterDays: 10 },
                { storageClass: "DEEP_ARCHIVE", afterDays: 40 },
            ],
            60,
        );
        assert.ok(
            found.some((p) => /tiering\[0\]\.afterDays: STANDARD_IA .*write afterDays: 30 or more/.test(p)),
            found.join("\n"),
        );
        assert.ok(
            found.some((p) => /retentionDays: .*DEEP_ARCHIVE/.test(p)),
            found.join("\n"),
        );
        const late = problems([{ storageClass: "GLACIER_IR", afterDays: 120 }], 100);
        assert.ok(
            late.some((p) => /retentionDays: expiration at day 100 is not after the last transition/.test(p)),
            late.join("\n"),
        );
    });

    it("any single transition at or after 30 days, expiring after its minimum duration, is accepted (generated)", () => {
        const minimum: Record<string, number> = { STANDARD_IA: 30, ONEZONE_IA: 30, GLACIER_IR: 90, GLACIER: 90, DEEP_ARCHIVE: 180, INTELLIGENT_TIERING: 1 };
        fc.assert(
            fc.property(
                fc.constantFrom(...Object.keys(minimum)),
                fc.integer({ min: 30, max: 400 }),
                fc.integer({ min: 0, max: 400 }),
                (storageClass, afterDays, extra) => {
                    const retention = afterDays + minimum[storageClass] + extra;
                    assert.deepEqual(problems([{ storageClass, afterDays }], retention), []);
                },
            ),
            { numRuns: 60 },
        );
    });
});
