/**
 * Pure construction of the one-shot PostgreSQL restore Job: restore.sh (the file the tests run)
 * against the release's PostgreSQL, from the dump PVC or — fetched first by fetch-dump.sh — from
 * cold storage. Runs in the chart's own PostgreSQL image, which has bash and the client tools.
 */
import { dumpClaimName, POSTGRESQL_SECRET_KEYS, postgresqlName, type ResolvedImage } from "../../contracts/qalita-chart";
import { jobSpec, PodEnv, scriptContainer, SecretEnv } from "../jobs/pod";

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

export function restoreJobSpec(args: RestoreJobArgs) {
    const fromCold = args.source === "cold";
    if (fromCold && !args.cold) throw new Error("a cold restore needs the cold-storage destination");
    const dumpEnv: Record<string, string> = fromCold ? { DR_DUMP_DIR: "/restore/dump" } : { PGDUMP_DIR: "/backup/pgdump", DR_RESTORE_FROM: args.from };
    const fetch = fromCold
        ? [
              scriptContainer({
                  name: "fetch",
                  script: "fetch-dump.sh",
                  env: { ...args.cold!.env, DR_FETCH_DIR: "/restore", DR_RESTORE_FROM: args.from },
                  secretEnv: args.cold!.secretEnv,
                  mounts: [{ name: "restore", mountPath: "/restore" }],
              }),
          ]
        : [];
    return jobSpec({
        labels: args.labels,
        // A restore is not retried blindly: restore.sh refuses non-empty databases, so a retry
        // after a partial run would fail anyway — a human reads the log and decides.
        backoffLimit: 0,
        activeDeadlineSeconds: RESTORE_DEADLINE_HOURS * 3600,
        pod: {
            serviceAccountName: args.serviceAccountName,
            configMapName: args.configMapName,
            imagePullSecrets: args.image.pullSecrets,
            supplementalGroups: [BITNAMI_GROUP],
            initContainers: fetch,
            containers: [
                scriptContainer({
                    name: "restore",
                    // The chart's image has bash and the client tools; restore.sh needs no rclone.
                    image: args.image.image,
                    rclone: false,
                    script: "restore.sh",
                    env: {
                        PGHOST: postgresqlName(args.release),
                        PGPORT: "5432",
                        PGUSER: "postgres",
                        DR_RESTORE_JOBS: String(args.jobs),
                        DR_RESTORE_REPLACE: String(args.replace),
                        ...dumpEnv,
                    },
                    secretEnv: [{ name: "PGPASSWORD", secretName: postgresqlName(args.release), key: POSTGRESQL_SECRET_KEYS.postgresPassword }],
                    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
                    mounts: [
                        fromCold ? { name: "restore", mountPath: "/restore", readOnly: true } : { name: "dumps", mountPath: "/backup/pgdump", readOnly: true },
                    ],
                }),
            ],
            volumes: [
                fromCold
                    ? { name: "restore", emptyDir: { sizeLimit: args.cold!.scratchSize } }
                    : { name: "dumps", persistentVolumeClaim: { claimName: dumpClaimName(args.release), readOnly: true } },
            ],
        },
    });
}
