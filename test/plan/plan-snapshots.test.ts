// The offline plans of six stacks against the ones kept in test/fixtures/plans/: byte-identical
// unless a change means to change what is deployed (then `npm run plan:snapshots` rewrites them,
// and the diff of those files is what a reviewer reads).
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { PLAN_SNAPSHOTS } from "../../tools/plan/snapshots";
import { plan, planJsonArgs } from "../support/plan-cli";

describe("plan snapshots (test/fixtures/plans/)", () => {
    for (const { stack, configDir, file } of PLAN_SNAPSHOTS) {
        it(`the plan of ${stack} is byte-identical to its snapshot`, () => {
            const result = plan(planJsonArgs(stack, configDir));
            assert.equal(result.status, 0, result.stderr);
            const kept = readFileSync(file, "utf8");
            if (result.stdout === kept) return;
            const urns = (text: string) => new Map<string, string>(JSON.parse(text).steps.map((s: any) => [s.urn, JSON.stringify(s)]));
            const [now, before] = [urns(result.stdout), urns(kept)];
            const changed = [...new Set([...now.keys(), ...before.keys()])].filter((urn) => now.get(urn) !== before.get(urn));
            assert.fail(`the plan of ${stack} changed (run npm run plan:snapshots if that is meant): ${changed.join(", ") || "outside the steps"}`);
        });
    }
});
