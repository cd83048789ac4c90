/**
 * Pure construction of the one-shot PostgreSQL restore Job: restore.sh (the file the tests run)
 * against the release's PostgreSQL, from the dump PVC or — fetched first by fetch-dump.sh — from
 * cold storage. Runs in the chart's own PostgreSQL image, which has bash and the client tools.
 */
import type { ResolvedImage } from "../../config/qalita-chart";
import { CONTAINER_SECURITY_CONTEXT, COPY_RESOURCES, IMAGES, podSecurityContext } from "../offsite/pod-security";
import { PodEnv, rcloneToolsInitContainer, SCRIPT_MOUNTS, SCRIPTS_DIR, scriptEnv, SecretEnv, scriptVolumes } from "../offsite/rclone-pod";

/** Bitnami's fsGroup: dump files are group-readable by it. */
export const BITNAMI_GROUP = 1001;

/** Bounds a restore; `pulumi up` waits as long for the Job to complete (restore-job.ts). */
export const RESTORE_DEADLINE_HOURS = 12;

export interface RestoreJobArgs {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly release: string;
    /** The release's PostgreSQL image and its pull secrets (DrSpec.postgresqlImage): it has bash and the client tools. */
    readonly image: ResolvedImage;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** Dump id or `latest`. */
    readonly from: string;
    readonly source: "pvc" | "cold";
    readonly jobs: number;
    readonly replace: boolean;
    /** Cold source: bucket settings and credentials for fetch-dump.sh. */
    readonly cold?: { readonly env: PodEnv; readonly secretEnv: readonly SecretEnv[]; readonly scratchSize: string };
}

const envList = (env: Record<string, string>) => Object.entries(env).map(([name, value]) => ({ name, value }));

export function restoreJobSpec(args: RestoreJobArgs) {
    const fromCold = args.source === "cold";
    if (fromCold && !args.cold) throw new Error("a cold restore needs the cold-storage destination");
    const dumpEnv: Record<string, string> = fromCold ? { DR_DUMP_DIR: "/restore/dump" } : { PGDUMP_DIR: "/backup/pgdump", DR_RESTORE_FROM: args.from };
    const fetch = fromCold ? [
        rcloneToolsInitContainer(),
        {
            name: "fetch", image: IMAGES.shell, securityContext: CONTAINER_SECURITY_CONTEXT, resources: COPY_RESOURCES,
            command: ["/bin/bash", `${SCRIPTS_DIR}/fetch-dump.sh`],
            env: scriptEnv({ ...args.cold!.env, DR_FETCH_DIR: "/restore", DR_RESTORE_FROM: args.from }, args.cold!.secretEnv),
            volumeMounts: [...SCRIPT_MOUNTS, { name: "restore", mountPath: "/restore" }],
        },
    ] : [];
    return {
        // A restore is not retried blindly: restore.sh refuses non-empty databases, so a retry
        // after a partial run would fail anyway — a human reads the log and decides.
        backoffLimit: 0,
        activeDeadlineSeconds: RESTORE_DEADLINE_HOURS * 3600,
        template: {
            metadata: { labels: args.labels },
            spec: {
                serviceAccountName: args.serviceAccountName,
                automountServiceAccountToken: false,
                ...(args.image.pullSecrets.length ? { imagePullSecrets: args.image.pullSecrets.map((name) => ({ name })) } : {}),
                restartPolicy: "Never",
                securityContext: podSecurityContext([BITNAMI_GROUP]),
                initContainers: fetch,
                containers: [{
                    name: "restore", image: args.image.image, securityContext: CONTAINER_SECURITY_CONTEXT,
                    command: ["/bin/bash", "/scripts/restore.sh"],
                    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
                    env: [
                        { name: "HOME", value: "/tmp" },
                        ...envList({ PGHOST: `${args.release}-postgresql`, PGPORT: "5432", PGUSER: "postgres", DR_RESTORE_JOBS: String(args.jobs), DR_RESTORE_REPLACE: String(args.replace), ...dumpEnv }),
                        { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: `${args.release}-postgresql`, key: "postgres-password" } } },
                    ],
                    volumeMounts: [
                        { name: "scripts", mountPath: "/scripts", readOnly: true }, { name: "tmp", mountPath: "/tmp" },
                        fromCold ? { name: "restore", mountPath: "/restore", readOnly: true } : { name: "dumps", mountPath: "/backup/pgdump", readOnly: true },
                    ],
                }],
                volumes: [
                    ...scriptVolumes(args.configMapName),
                    fromCold
                        ? { name: "restore", emptyDir: { sizeLimit: args.cold!.scratchSize } }
                        : { name: "dumps", persistentVolumeClaim: { claimName: `${args.release}-postgresql-pgdumpall`, readOnly: true } },
                ],
            },
        },
    };
}
