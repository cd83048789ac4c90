/** Stack config for tests: the worker is on, as the agents backup requires (see resolve.ts). */
import { ConfigError } from "../../config/problems";
import { resolveDrSpec } from "../../config/resolve";
import { DrSpec } from "../../config/spec";

export const TEST_CONTEXT = { stack: "test", awsRegion: "eu-west-3" };

/** The worker on (the agents backup needs it) and its token in an existing Secret. */
export const WITH_WORKER = { releaseValues: { worker: { enabled: true } }, agents: { tokenSecret: { name: "qalita-worker-token", key: "token" } } };

export function resolveWithWorker(raw: Record<string, unknown>): DrSpec {
    return resolveDrSpec({ ...WITH_WORKER, ...raw }, TEST_CONTEXT);
}

/** Every problem the resolver reports for `raw` (with the worker on), as "key: message"; none → []. */
export function configProblems(raw: Record<string, unknown>): string[] {
    try {
        resolveWithWorker(raw);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.key}: ${problem.message}`);
        throw error;
    }
    return [];
}
