/** The plans kept in test/fixtures/plans/ (tools/plan-snapshots.ts writes them, a test compares). */
import { resolve } from "node:path";

const PROJECT_DIR = resolve(__dirname, "../..");
const STACKS_DIR = resolve(PROJECT_DIR, "test/fixtures/stacks");

export const PLAN_SNAPSHOTS = [
    { stack: "dev", configDir: PROJECT_DIR },
    ...["restore-cold", "restore-agents", "snapshots-full", "adopt", "pg-off-accepted"].map((stack) => ({ stack, configDir: STACKS_DIR })),
].map((entry) => ({ ...entry, file: resolve(PROJECT_DIR, "test/fixtures/plans", `${entry.stack}.json`) }));
