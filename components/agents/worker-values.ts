/**
 * Pure: the worker's part of the QALITA release values (QALITA chart 2.11.6), for `releaseValues`
 * to merge over the user's. The chart writes `worker.token` (default "changeme") as a literal
 * QALITA_WORKER_TOKEN, then appends `worker.deployment.extraEnv` to both containers: a later
 * entry of the same name wins, so the token comes from its Secret through extraEnv and no
 * credential file (`.env-<login>`) is ever needed.
 */
import type { AgentsSpec, ElementSpec } from "../../config/spec";
import { WORKER_ENV } from "../../contracts/qalita-chart";
import { readScript } from "../scripts";

export type EnvVar = { readonly name: string; readonly value?: string; readonly valueFrom?: unknown };

/** The env vars the stack owns: the token from its Secret, and the QALITA_WORKER_* configured. */
export function ownedWorkerEnv(agents: AgentsSpec): EnvVar[] {
    const worker = agents.worker;
    if (!worker) return [];
    const plain = (
        [
            ["name", worker.env.name],
            ["mode", worker.env.mode],
            ["endpoint", worker.env.endpoint],
        ] as const
    )
        .filter(([, value]) => value !== undefined)
        .map(([field, value]) => ({ name: WORKER_ENV[field], value: value! }));
    return [{ name: WORKER_ENV.token, valueFrom: { secretKeyRef: { name: worker.token.secretName, key: worker.token.key } } }, ...plain];
}

/** `worker.pvc.enabled` while the agents element is on: ~/.qalita (sources, job results) must survive pod restarts to be worth backing up. */
export function workerStoreValues(agents: ElementSpec): Record<string, unknown> {
    return agents.enabled ? { worker: { pvc: { enabled: true } } } : {};
}

/**
 * The overlay: `worker.pvc.storageSize`, `worker.deployment.extraEnv` (the user's entries first,
 * minus the names the stack owns — ours win — then ours), and while `restore.agents` is set,
 * the relink script ahead of the user's `worker.initscript`, with the worker stopped
 * (`replicaCount: 0`) until step 2 (`relink: true`) so that the restore Job has the
 * ReadWriteOnce store to itself and nothing writes into ~/.qalita before the files are back.
 */
export function workerValues(agents: AgentsSpec, user: Record<string, unknown>): Record<string, unknown> {
    if (!agents.worker) return {};
    const userWorker = (typeof user.worker === "object" && user.worker !== null ? user.worker : {}) as Record<string, any>;
    const owned = ownedWorkerEnv(agents);
    const ownedNames = new Set(owned.map((env) => env.name));
    const userEnv: unknown[] = Array.isArray(userWorker.deployment?.extraEnv) ? userWorker.deployment.extraEnv : [];
    const worker: Record<string, unknown> = {
        pvc: { storageSize: agents.worker.storageSize },
        deployment: { extraEnv: [...userEnv.filter((env) => !ownedNames.has((env as EnvVar | null)?.name ?? "")), ...owned] },
    };
    if (agents.restore) {
        const userScript = typeof userWorker.initscript === "string" ? userWorker.initscript : "";
        // scripts/relink.sh, ahead of the user's.
        worker.initscript = `${readScript("agents", "relink.sh")}${userScript ? `\n# Your worker.initscript (qalita-dr:releaseValues):\n${userScript}` : ""}`;
        if (!agents.restore.relink) worker.replicaCount = 0;
    }
    return { worker };
}
