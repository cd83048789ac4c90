/**
 * The pod of Bitnami postgresql 12.12.10's backup CronJob (templates/backup/cronjob.yaml), as
 * the chart renders it from the release values the stack sets: the chart's securityContext
 * defaults (uid 1001, gid 0, fsGroup 1001 — derived from the upstream values file), the env the
 * template writes (PGUSER, PGPASSWORD from the release's Secret, PGHOST, PGPORT, PGDUMP_DIR), our
 * command, and the dump PVC at `backup.cronjob.storage.mountPath`. Not rendered by the stack (the
 * chart does it), so the tests build it here, from the same facts.
 */
import { upstreamValues } from "./upstream-facts";

export const BITNAMI_VALUES = "bitnami-postgresql-12.12.10.values.yaml";

export function bitnamiBackupPod(release: string, backupValues: { cronjob: { command: string[] } }) {
    const defaults = upstreamValues(BITNAMI_VALUES).defaults;
    const fact = (key: string) => {
        if (!(key in defaults)) throw new Error(`${key} is not among the derived Bitnami defaults: add it to tools/upstream/derive.ts`);
        return defaults[key] as any;
    };
    const container = "backup.cronjob.containerSecurityContext";
    const mountPath = fact("backup.cronjob.storage.mountPath") as string;
    const fullname = `${release}-postgresql`;
    return {
        securityContext: fact("backup.cronjob.podSecurityContext.enabled") ? { fsGroup: fact("backup.cronjob.podSecurityContext.fsGroup") } : {},
        restartPolicy: fact("backup.cronjob.restartPolicy"),
        containers: [
            {
                name: `${fullname}-pgdumpall`,
                image: "qalita.azurecr.io/postgresql:15.4.0",
                env: [
                    { name: "PGUSER", value: "postgres" },
                    { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: fullname, key: "postgres-password" } } },
                    { name: "PGHOST", value: fullname },
                    { name: "PGPORT", value: "5432" },
                    { name: "PGDUMP_DIR", value: mountPath },
                ],
                command: backupValues.cronjob.command,
                volumeMounts: [{ name: "datadir", mountPath }],
                securityContext: {
                    runAsUser: fact(`${container}.runAsUser`),
                    runAsGroup: fact(`${container}.runAsGroup`),
                    readOnlyRootFilesystem: fact(`${container}.readOnlyRootFilesystem`),
                },
            },
        ],
        volumes: [{ name: "datadir", persistentVolumeClaim: { claimName: `${fullname}-pgdumpall` } }],
    };
}
