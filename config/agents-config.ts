/**
 * The agents (QALITA workers): `qalita-dr:agents`, `secrets.workerToken`, the adopted crypt key
 * `secrets.agentsCrypt*` and `restore.agents` — their shape, and their resolution into AgentsSpec.
 * QALITA's guidance: persist ~/.qalita/ but never a credential file (`.env-<login>`, `.worker`);
 * the worker authenticates from QALITA_WORKER_* environment variables instead, its token read
 * from a Kubernetes Secret. Pure: no value of a secret ever reaches the spec or a message.
 */
import { z } from "zod";
import { DEFAULT_BWLIMIT } from "./catalog";
import { DNS_SUBDOMAIN, quantity } from "./schema-parts";
import { configKey, Problem } from "./problems";
import { workerEnabled } from "./release-values";
import { pvcSelectionSchema } from "./snapshots-config";
import type { ElementSpec } from "./spec";
import { CHART_DEFAULT_TOKEN, defaultWorkerPodLabels, isWorkerTokenEnv } from "../contracts/qalita-chart";
import { workerTokenSecretName } from "../contracts/names";

/** `secrets.<key>` of the worker's API token: `pulumi config set --secret --path secrets.workerToken`. */
export const WORKER_TOKEN_SECRET = "workerToken";
/** `secrets.<key>`s adopting the crypt key of existing agents copies (both or neither). */
export const AGENTS_CRYPT_SECRETS = ["agentsCryptPassword", "agentsCryptSalt"] as const;
/** Key of the token in the Secret the stack creates from `secrets.workerToken`. */
export const WORKER_TOKEN_KEY = "token";


export const agentsSchema = z.strictObject({
    /** An existing Secret holding the worker's API token (External Secrets…), instead of secrets.workerToken. */
    tokenSecret: z.strictObject({
        name: z.string({ error: "write the Secret's name" }).regex(DNS_SUBDOMAIN, { error: 'write the Secret\'s name: lowercase letters, digits, "-" and "."' }),
        key: z.string({ error: "write the key of the token in the Secret" }).regex(/^[-._a-zA-Z0-9]{1,253}$/, { error: 'write a Secret key: letters, digits, "-", "_" or "."' }),
    }, { error: "write { name: <Secret>, key: <key of the token> }" }).optional(),
    /** QALITA_WORKER_NAME, the worker's name in the platform. @default the chart's worker.name ("worker") */
    workerName: z.string({ error: "write the worker's name" }).regex(/^[^\s]{1,63}$/, { error: "write a name of 1–63 characters without spaces" }).optional(),
    /** QALITA_WORKER_MODE: worker polls for jobs forever, job runs one and exits. @default the chart's ("worker") */
    workerMode: z.enum(["worker", "job"], { error: "write worker (polls the platform for jobs) or job (runs one job, then exits)" }).optional(),
    /** QALITA_WORKER_ENDPOINT, the backend's URL. @default the chart's http://<release>-backend-service:3080 */
    endpoint: z.string({ error: "write the backend's URL" }).regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, { error: "write the backend's URL, e.g. https://qalita.example.com/api" }).optional(),
    /** Size of the worker store PVC (worker.pvc.storageSize). @default "10Gi" (the chart's) */
    storageSize: quantity("10Gi").optional(),
    /**
     * Labels of the worker's pods: the backup copy is scheduled beside one (the store is
     * ReadWriteOnce). @default { app: "<release>-worker", release: "<release>" } (QALITA 2.11.6)
     */
    workerPodLabels: pvcSelectionSchema.shape.matchLabels.refine((labels) => labels === undefined || Object.keys(labels).length > 0, { error: "write at least one label: an empty selector matches every pod" }),
    /** rclone --bwlimit of the copy and the restore, bytes/s. @default "20M" */
    bandwidthLimit: z.string().regex(/^(off|[0-9]+(\.[0-9]+)?[BKMGTP]?)$/, { error: 'write an rclone bandwidth, e.g. "20M" (bytes/s) or "off"' }).optional(),
});

/** `restore.agents`: set, `pulumi up`, follow docs/restore-agents.md, then unset. */
export const agentsRestoreSchema = z.strictObject({
    /** "latest": the current version of every file the offsite copy has shipped. */
    from: z.literal("latest", { error: 'write "latest"; a point in time needs versioned reads the backup writer may not do (docs/restore-agents.md › Older versions)' }),
    /** Step 2: start the worker again; its start logs in and pushes the restored sources. @default false */
    relink: z.boolean({ error: "write true or false" }).optional(),
});

export type RawAgents = z.infer<typeof agentsSchema>;
export type RawAgentsRestore = z.infer<typeof agentsRestoreSchema>;

export type WorkerTokenSource =
    /** The stack creates Secret `<release>-dr-worker` (key `token`) from secrets.workerToken. */
    | { readonly kind: "stack"; readonly secretName: string; readonly key: string }
    /** A Secret someone else manages. */
    | { readonly kind: "existing"; readonly secretName: string; readonly key: string };

export interface WorkerSpec {
    readonly token: WorkerTokenSource;
    /** QALITA_WORKER_* set by the stack; an absent one keeps the chart's value. */
    readonly env: { readonly name?: string; readonly mode?: "worker" | "job"; readonly endpoint?: string };
    readonly storageSize: string;
    readonly podLabels: Readonly<Record<string, string>>;
}

export interface AgentsSpec {
    /** Absent when no worker runs (releaseValues.worker.enabled unset and elements.agents off). */
    readonly worker?: WorkerSpec;
    /** UTC cron of the offsite copy; absent when elements.agents is off. */
    readonly backupUtcCron?: string;
    readonly bandwidthLimit: string;
    /** The crypt key comes from secrets.agentsCrypt* instead of being generated. */
    readonly cryptAdopted: boolean;
    readonly restore?: { readonly from: "latest"; readonly relink: boolean };
}

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
        problems.push({ key: configKey(["agents", "tokenSecret"]), message: `the worker can't authenticate without its API token (the chart's literal "${CHART_DEFAULT_TOKEN}" is no token): run pulumi config set --secret --path secrets.${WORKER_TOKEN_SECRET} <token> (the stack creates Secret ${workerTokenSecretName(input.release)}), or name an existing Secret with qalita-dr:agents.tokenSecret: { name, key }` });
    }
    if (tokenSecret && isSet(WORKER_TOKEN_SECRET)) {
        problems.push({ key: configKey(["agents", "tokenSecret"]), message: `the token is configured twice: keep qalita-dr:agents.tokenSecret (an existing Secret) or qalita-dr:secrets.${WORKER_TOKEN_SECRET} (the stack creates the Secret), not both` });
    }
    if (typeof secrets[WORKER_TOKEN_SECRET] === "string" && (secrets[WORKER_TOKEN_SECRET] as string).trim() === CHART_DEFAULT_TOKEN) {
        problems.push({ key: configKey(["secrets", WORKER_TOKEN_SECRET]), message: `this is the chart's default placeholder, not a token: set the API token the platform gave the worker (Data Engineer role or higher)` });
    }
    const crypt = AGENTS_CRYPT_SECRETS.map(isSet);
    if (crypt[0] !== crypt[1]) {
        const missing = AGENTS_CRYPT_SECRETS[crypt[0] ? 1 : 0];
        problems.push({ key: configKey(["secrets", missing]), message: `the crypt key of the agents' copies is a password and a salt: set secrets.${missing} too (both from your vault), or neither to generate them` });
    }
    problems.push(...literalTokenProblems(input.userReleaseValues));

    const restore = agentsRestoreSchema.safeParse(input.restore).data;
    if (input.restore !== undefined && !input.element.enabled) {
        problems.push({ key: configKey(["restore", "agents"]), message: "a restore reads the agents' offsite copy with its crypt key, which only exist with elements.agents.enabled: true; enable it (same stack, same key) or remove restore.agents" });
    }

    const spec: AgentsSpec = {
        worker: workerOn ? {
            token: tokenSecret
                ? { kind: "existing", secretName: tokenSecret.name, key: tokenSecret.key }
                : { kind: "stack", secretName: workerTokenSecretName(input.release), key: WORKER_TOKEN_KEY },
            env: { name: field("workerName"), mode: field("workerMode"), endpoint: field("endpoint") },
            storageSize: field("storageSize") ?? "10Gi",
            podLabels: field("workerPodLabels") ?? defaultWorkerPodLabels(input.release),
        } : undefined,
        backupUtcCron: input.element.enabled ? input.element.schedule?.utcCron : undefined,
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
        return [{ key: configKey(["releaseValues", "worker", "deployment", "extraEnv", index]), message: `${env.name} is a secret: as a literal value it shows in plain text in previews; remove it, the stack sets QALITA_WORKER_TOKEN from a Secret (secrets.${WORKER_TOKEN_SECRET} or agents.tokenSecret)` }];
    });
}
