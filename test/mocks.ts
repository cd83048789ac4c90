// One mocks setup for the whole suite (loaded by .mocharc `require`): the last setMocks call wins
// process-wide, so no test file sets its own. Program tests import index.ts only after this.
import * as pulumi from "@pulumi/pulumi";
import { awsAssigned, mocks } from "../tools/plan/mocks";
import "./support/no-source-positions";

// Component tests check how AWS-assigned values (ARNs) are wired: recognisable stand-ins here;
// the offline plan (a child process in tests) shows them unknown, as a preview does.
awsAssigned.mode = "fake";

void pulumi.runtime.setMocks(mocks, "qalita-dr", "test", true);

/**
 * Root hook (mocha loads this file with --require): the plans several test files read are computed
 * up front, two at a time — only when the run includes tests that read them.
 */
export const mochaHooks = {
    async beforeAll(this: unknown) {
        const files = process.argv.filter((arg) => arg.endsWith(".test.ts"));
        if (files.length > 0 && !files.some((file) => /test\/(plan|components)\//.test(file))) return;
        const { prefetchPlans } = await import("./support/plan-cli");
        await prefetchPlans();
    },
};
