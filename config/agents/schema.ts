/**
 * `qalita-dr:agents` (the QALITA workers): their authentication and backup settings as users
 * write them, and the `secrets.*` keys that belong to the agents. Their resolution: resolve.ts.
 */
import { z } from "zod";
import { DNS_SUBDOMAIN, quantity } from "../schema-parts";
import { pvcSelectionSchema } from "../snapshots/schema";

/** `secrets.<key>` of the worker's API token: `pulumi config set --secret --path secrets.workerToken`. */
export const WORKER_TOKEN_SECRET = "workerToken";
/** `secrets.<key>`s adopting the crypt key of existing agents copies (both or neither). */
export const AGENTS_CRYPT_SECRETS = ["agentsCryptPassword", "agentsCryptSalt"] as const;

export const agentsSchema = z.strictObject({
    /** An existing Secret holding the worker's API token (External Secrets…), instead of secrets.workerToken. */
    tokenSecret: z
        .strictObject(
            {
                name: z
                    .string({ error: "write the Secret's name" })
                    .regex(DNS_SUBDOMAIN, { error: 'write the Secret\'s name: lowercase letters, digits, "-" and "."' }),
                key: z
                    .string({ error: "write the key of the token in the Secret" })
                    .regex(/^[-._a-zA-Z0-9]{1,253}$/, { error: 'write a Secret key: letters, digits, "-", "_" or "."' }),
            },
            { error: "write { name: <Secret>, key: <key of the token> }" },
        )
        .optional(),
    /** QALITA_WORKER_NAME, the worker's name in the platform. @default the chart's worker.name ("worker") */
    workerName: z
        .string({ error: "write the worker's name" })
        .regex(/^[^\s]{1,63}$/, { error: "write a name of 1–63 characters without spaces" })
        .optional(),
    /** QALITA_WORKER_MODE: worker polls for jobs forever, job runs one and exits. @default the chart's ("worker") */
    workerMode: z.enum(["worker", "job"], { error: "write worker (polls the platform for jobs) or job (runs one job, then exits)" }).optional(),
    /** QALITA_WORKER_ENDPOINT, the backend's URL. @default the chart's http://<release>-backend-service:3080 */
    endpoint: z
        .string({ error: "write the backend's URL" })
        .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, { error: "write the backend's URL, e.g. https://qalita.example.com/api" })
        .optional(),
    /** Size of the worker store PVC (worker.pvc.storageSize). @default "10Gi" (the chart's) */
    storageSize: quantity("10Gi").optional(),
    /**
     * Labels of the worker's pods: the backup copy is scheduled beside one (the store is
     * ReadWriteOnce). @default { app: "<release>-worker", release: "<release>" } (QALITA 2.11.6)
     */
    workerPodLabels: pvcSelectionSchema.shape.matchLabels.refine((labels) => labels === undefined || Object.keys(labels).length > 0, {
        error: "write at least one label: an empty selector matches every pod",
    }),
    /** rclone --bwlimit of the copy and the restore, bytes/s. @default "20M" (DEFAULT_BWLIMIT) */
    bandwidthLimit: z
        .string()
        .regex(/^(off|[0-9]+(\.[0-9]+)?[BKMGTP]?)$/, { error: 'write an rclone bandwidth, e.g. "20M" (bytes/s) or "off"' })
        .optional(),
});

export type RawAgents = z.infer<typeof agentsSchema>;
