/**
 * Pure: the WAL receiver's Deployment (scripts/wal-receiver.sh) — one pod, forever, on the
 * release's PostgreSQL image (pg_receivewal, pg_basebackup of the server's very version) — and the
 * pod affinity of everything else that mounts its ReadWriteOnce archive PVC.
 */
import { drLabels } from "../../../contracts/labels";
import { PITR_APPLICATION_NAME, PITR_MOUNT, PITR_PASSWORD_KEY, PITR_ROLE, PITR_SLOT, pitrRoleSecretName } from "../../../contracts/pitr";
import { postgresqlName, type ResolvedImage } from "../../../contracts/qalita-chart";
import { jobPodSpec, PodAffinity, scriptContainer } from "../../jobs/pod";
import { archiveMount, archiveVolume, asPostgresUser, primaryEnv } from "./pod";

/** Labels of the receiver's pods: what the Deployment selects and the other PITR pods sit beside. */
export function receiverPodLabels(): Record<string, string> {
    return drLabels({ element: "postgresql", mechanism: "pitr", component: "wal-receiver" });
}

export interface ReceiverArgs {
    readonly release: string;
    readonly image: ResolvedImage;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** Base backups kept when the receiver takes a new generation's first one (base-backup.sh). */
    readonly keepBaseBackups: number;
    /** A point-in-time restore is under way: no receiver (its PVC is the restore's, the primary is down). */
    readonly paused: boolean;
}

export function receiverDeploymentSpec(args: ReceiverArgs) {
    const labels = receiverPodLabels();
    const pod = asPostgresUser(
        jobPodSpec({
            serviceAccountName: args.serviceAccountName,
            configMapName: args.configMapName,
            imagePullSecrets: args.image.pullSecrets,
            containers: [
                scriptContainer({
                    name: "receiver",
                    image: args.image.image,
                    rclone: false,
                    script: "wal-receiver.sh",
                    env: {
                        ...primaryEnv(postgresqlName(args.release), PITR_ROLE),
                        DR_PITR_DIR: PITR_MOUNT,
                        DR_PITR_SLOT: PITR_SLOT,
                        DR_PITR_APPLICATION_NAME: PITR_APPLICATION_NAME,
                        DR_PITR_KEEP: String(args.keepBaseBackups),
                    },
                    secretEnv: [{ name: "PGPASSWORD", secretName: pitrRoleSecretName(args.release), key: PITR_PASSWORD_KEY }],
                    // pg_receivewal needs little; a new generation's first base backup runs here too.
                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "512Mi" } },
                    mounts: [archiveMount(false)],
                }),
            ],
            volumes: [archiveVolume(args.release, false)],
        }),
    );
    return {
        replicas: args.paused ? 0 : 1,
        // One receiver per slot: the old pod is gone before the new one streams.
        strategy: { type: "Recreate" },
        selector: { matchLabels: labels },
        template: {
            metadata: { labels },
            // A receiver that exits is started again: restartPolicy Always, as a Deployment requires.
            spec: { ...pod, restartPolicy: "Always", terminationGracePeriodSeconds: 30 },
        },
    };
}

/** The archive PVC is ReadWriteOnce: the base backups and the copy run on the receiver's node. */
export function besideReceiver(): PodAffinity {
    return {
        podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: receiverPodLabels() }, topologyKey: "kubernetes.io/hostname" }],
        },
    };
}
