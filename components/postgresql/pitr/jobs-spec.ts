/**
 * Pure: the one-shot Jobs of point-in-time recovery — the replication role's creation on the
 * release's PostgreSQL (scripts/replication-role.sh) and the restore to a point in time
 * (scripts/pitr-restore.sh, preceded for a cold archive by scripts/pitr-fetch.sh).
 */
import { BITNAMI_DATA_MOUNT, PITR_MOUNT, PITR_PASSWORD_KEY, PITR_ROLE, PITR_SLOT, pitrRoleSecretName } from "../../../contracts/pitr";
import { POSTGRESQL_SECRET_KEYS, postgresqlDataClaimName, postgresqlName, type ResolvedImage } from "../../../contracts/qalita-chart";
import { jobSpec, PodEnv, scriptContainer, SecretEnv } from "../../jobs/pod";
import { RESTORE_DEADLINE_HOURS } from "../restore-job-spec";
import { archiveMount, archiveVolume, asPostgresUser, primaryEnv } from "./pod";

export interface RoleJobArgs {
    readonly labels: Record<string, string>;
    readonly release: string;
    readonly image: ResolvedImage;
    readonly serviceAccountName: string;
    readonly configMapName: string;
}

export function roleJobSpec(args: RoleJobArgs) {
    return jobSpec({
        labels: args.labels,
        backoffLimit: 3,
        // It waits up to 10 min for the primary (restarted by the same helm upgrade), then gives up.
        activeDeadlineSeconds: 30 * 60,
        pod: {
            serviceAccountName: args.serviceAccountName,
            configMapName: args.configMapName,
            imagePullSecrets: args.image.pullSecrets,
            containers: [
                scriptContainer({
                    name: "role",
                    image: args.image.image,
                    rclone: false,
                    script: "replication-role.sh",
                    env: { ...primaryEnv(postgresqlName(args.release), "postgres"), DR_PITR_ROLE: PITR_ROLE },
                    secretEnv: [
                        { name: "PGPASSWORD", secretName: postgresqlName(args.release), key: POSTGRESQL_SECRET_KEYS.postgresPassword },
                        { name: "DR_PITR_ROLE_PASSWORD", secretName: pitrRoleSecretName(args.release), key: PITR_PASSWORD_KEY },
                    ],
                    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
                }),
            ],
        },
    });
}

export interface PitrRestoreJobArgs {
    readonly labels: Record<string, string>;
    readonly release: string;
    readonly image: ResolvedImage;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** RFC 3339 with its offset, or "latest". */
    readonly targetTime: string;
    /** cold: the bucket settings and credentials of pitr-fetch.sh (reads only). */
    readonly cold?: { readonly env: PodEnv; readonly secretEnv: readonly SecretEnv[] };
}

/** Where pitr-fetch.sh leaves the archive it fetched: on the data PVC (pitr-restore.sh's workspace). */
const FETCHED_ARCHIVE = `${BITNAMI_DATA_MOUNT}/.qalita-dr-pitr/archive`;

export function pitrRestoreJobSpec(args: PitrRestoreJobArgs) {
    const data = { name: "data", mountPath: BITNAMI_DATA_MOUNT };
    const fetch = args.cold
        ? [
              scriptContainer({
                  name: "fetch",
                  script: "pitr-fetch.sh",
                  env: { ...args.cold.env, DR_PITR_TARGET: args.targetTime, DR_PITR_DATA_MOUNT: BITNAMI_DATA_MOUNT },
                  secretEnv: args.cold.secretEnv,
                  mounts: [data],
              }),
          ]
        : [];
    const spec = jobSpec({
        labels: args.labels,
        // Not retried blindly: a human reads why it failed (PITR_RESULT) and decides.
        backoffLimit: 0,
        activeDeadlineSeconds: RESTORE_DEADLINE_HOURS * 3600,
        pod: {
            serviceAccountName: args.serviceAccountName,
            configMapName: args.configMapName,
            imagePullSecrets: args.image.pullSecrets,
            initContainers: fetch,
            containers: [
                scriptContainer({
                    name: "restore",
                    // The recovery runs the release's own server binaries: the very version the WAL came from.
                    image: args.image.image,
                    rclone: false,
                    script: "pitr-restore.sh",
                    env: {
                        // Only to check that the release's PostgreSQL is down before its data is replaced.
                        PGHOST: postgresqlName(args.release),
                        PGPORT: "5432",
                        DR_PITR_TARGET: args.targetTime,
                        DR_PITR_DIR: args.cold ? FETCHED_ARCHIVE : PITR_MOUNT,
                        DR_PITR_DATA_MOUNT: BITNAMI_DATA_MOUNT,
                        DR_PITR_SLOT: PITR_SLOT,
                    },
                    resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
                    mounts: [data, ...(args.cold ? [] : [archiveMount(true)])],
                }),
            ],
            volumes: [
                { name: "data", persistentVolumeClaim: { claimName: postgresqlDataClaimName(args.release) } },
                ...(args.cold ? [] : [archiveVolume(args.release, true)]),
            ],
        },
    });
    return { ...spec, template: { ...spec.template, spec: asPostgresUser(spec.template.spec) } };
}
