/**
 * The agents (QALITA workers): `qalita-dr:agents`, `secrets.workerToken`, the adopted crypt key
 * `secrets.agentsCrypt*` and `restore.agents` resolved into AgentsSpec. QALITA's guidance: persist
 * ~/.qalita/ but never a credential file (`.env-<login>`, `.worker`); the worker authenticates
 * from QALITA_WORKER_* environment variables instead, its token read from a Kubernetes Secret.
 * Pure: no value of a secret ever reaches the spec or a message.
 */
import type { Problem } from "../../contracts/problem";
import { workerTokenSecretName } from "../../contracts/names";
import { CHART_DEFAULT_TOKEN, defaultWorkerPodLabels, isWorkerTokenEnv } from "../../contracts/qalita-chart";
import { DEFAULT_BWLIMIT } from "../catalog";
import { configKey } from "../problems";
import { workerEnabled } from "../release-values";
import { agentsRestoreSchema } from "../restore/schema";
import type { AgentsSpec, ElementSpec } from "../spec";
import { AGENTS_CRYPT_SECRETS, agentsSchema, RawAgents, WORKER_TOKEN_SECRET } from "./schema";

/** Key of the token in the Secret the stack creates from `secrets.workerToken`. */
const WORKER_TOKEN_KEY = "token";

export interface AgentsConfigInput {
    /** `qalita-dr:agents` as written. Shape problems are the full schema's to report: ill-shaped fields are ignored here. */
    readonly agents?: unknown;
    /** `restore.agents` as written. */
    readonly restore?: unknown;
    /** `secrets` as written: plain values in a real run, placeholders offline. Only presence and the chart default are checked. */
    readonly secrets?: unknown;
    readonly release: string;
    /** `elements.agents`, resolved. */
    readonly element: ElementSpec;
    /** releaseValues: whether the worker runs, and the env the user gives it. */
    readonly userReleaseValues: Record<string, unknown>;
}

export function resolveAgents(input: AgentsConfigInput): { spec: AgentsSpec; problems: Problem[] } {
    const raw = (typeof input.agents === "object" && input.agents !== null ? input.agents : {}) as Record<string, unknown>;
    const field = <K extends keyof RawAgents>(name: K): RawAgents[K] => agentsSchema.shape[name].safeParse(raw[name]).data as RawAgents[K];
    const secrets = (typeof input.secrets === "object" && input.secrets !== null ? input.secrets : {}) as Record<string, unknown>;
    const isSet = (key: string) => typeof secrets[key] === "string" && secrets[key] !== "";
    const problems: Problem[] = [];

    const tokenSecret = field("tokenSecret");
    const workerOn = workerEnabled(input.userReleaseValues) || input.element.enabled;
    if (workerOn && !tokenSecret && !isSet(WORKER_TOKEN_SECRET)) {
        problems.push({
            key: configKey(["agents", "tokenSecret"]),
            message: `the worker can't authenticate without its API token (the chart's literal "${CHART_DEFAULT_TOKEN}" is no token): run pulumi config set --secret --path secrets.${WORKER_TOKEN_SECRET} <token> (the stack creates Secret ${workerTokenSecretName(input.release)}), or name an existing Secret with qalita-dr:agents.tokenSecret: { name, key }`,
        });
    }
    if (tokenSecret && isSet(WORKER_TOKEN_SECRET)) {
        problems.push({
            key: configKey(["agents", "tokenSecret"]),
            message: `the token is configured twice: keep qalita-dr:agents.tokenSecret (an existing Secret) or qalita-dr:secrets.${WORKER_TOKEN_SECRET} (the stack creates the Secret), not both`,
        });
    }
    if (typeof secrets[WORKER_TOKEN_SECRET] === "string" && (secrets[WORKER_TOKEN_SECRET] as string).trim() === CHART_DEFAULT_TOKEN) {
        problems.push({
            key: configKey(["secrets", WORKER_TOKEN_SECRET]),
            message: `this is the chart's default placeholder, not a token: set the API token the platform gave the worker (Data Engineer role or higher)`,
        });
    }
    const crypt = AGENTS_CRYPT_SECRETS.map(isSet);
    if (crypt[0] !== crypt[1]) {
        const missing = AGENTS_CRYPT_SECRETS[crypt[0] ? 1 : 0];
        problems.push({
            key: configKey(["secrets", missing]),
            message: `the crypt key of the agents' copies is a password and a salt: set secrets.${missing} too (both from your vault), or neither to generate them`,
        });
    }
    problems.push(...literalTokenProblems(input.userReleaseValues));

    const restore = agentsRestoreSchema.safeParse(input.restore).data;
    if (input.restore !== undefined && !input.element.enabled) {
        problems.push({
            key: configKey(["restore", "agents"]),
            message:
                "a restore reads the agents' offsite copy with its crypt key, which only exist with elements.agents.enabled: true; enable it (same stack, same key) or remove restore.agents",
        });
    }

    const spec: AgentsSpec = {
        worker: workerOn
            ? {
                  token: tokenSecret
                      ? { kind: "existing", secretName: tokenSecret.name, key: tokenSecret.key }
                      : { kind: "stack", secretName: workerTokenSecretName(input.release), key: WORKER_TOKEN_KEY },
                  env: { name: field("workerName"), mode: field("workerMode"), endpoint: field("endpoint") },
                  storageSize: field("storageSize") ?? "10Gi",
                  podLabels: field("workerPodLabels") ?? defaultWorkerPodLabels(input.release),
              }
            : undefined,
        bandwidthLimit: field("bandwidthLimit") ?? DEFAULT_BWLIMIT,
        cryptAdopted: crypt[0] && crypt[1],
        restore: restore && { from: restore.from, relink: restore.relink ?? false },
    };
    return { spec, problems };
}

/** A token written in releaseValues' extraEnv would be plain text in every preview. */
function literalTokenProblems(user: Record<string, unknown>): Problem[] {
    const worker = user.worker as { deployment?: { extraEnv?: unknown } } | undefined;
    const extraEnv = worker?.deployment?.extraEnv;
    if (!Array.isArray(extraEnv)) return [];
    return extraEnv.flatMap((entry: unknown, index): Problem[] => {
        const env = entry as { name?: unknown; value?: unknown } | null;
        if (!isWorkerTokenEnv(env?.name) || env?.value === undefined) return [];
        return [
            {
                key: configKey(["releaseValues", "worker", "deployment", "extraEnv", index]),
                message: `${env.name} is a secret: as a literal value it shows in plain text in previews; remove it, the stack sets QALITA_WORKER_TOKEN from a Secret (secrets.${WORKER_TOKEN_SECRET} or agents.tokenSecret)`,
            },
        ];
    });
}
