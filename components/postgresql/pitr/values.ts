/**
 * Pure: what point-in-time recovery needs of the QALITA release's values (Bitnami postgresql
 * 12.12.10, the subchart of QALITA 2.11.6):
 * - `primary.pgHbaConfiguration`: the replication role's entries. Setting it REPLACES the
 *   pg_hba.conf the image would generate, so the image's own entries come first, as its start-up
 *   writes them with the chart's defaults (bitnami/containers, bitnami/postgresql/15/debian-11/
 *   rootfs/opt/bitnami/scripts/libpostgresql.sh: postgresql_password_auth_configuration,
 *   postgresql_allow_local_connection, then postgresql_restrict_pghba — trust becomes md5, the
 *   release always having a password —, postgresql_add_replication_to_pghba with
 *   architecture: replication, postgresql_tls_auth_configuration with a TLS CA). A physical
 *   replication connection only matches lines whose database is `replication`: the others never
 *   let the role stream, nor do ours let anyone else in.
 * - `primary.extendedConfiguration` (conf.d/override.conf): `max_slot_wal_keep_size`, so that a
 *   dead receiver cannot fill the primary's disk; the user's own extended configuration is kept.
 * - with monitoring on, the chart's postgres-exporter with a query of the slot (alerts.ts).
 */
import type { DrSpec } from "../../../config/spec";
import { PITR_APPLICATION_NAME, PITR_ROLE, PITR_SLOT, PITR_SLOT_METRIC } from "../../../contracts/pitr";

type Values = Record<string, any>;
const object = (value: unknown): Values => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Values) : {});

export type PitrValuesInputs = Pick<DrSpec, "postgresqlPitr" | "userReleaseValues" | "monitoring">;

export function pitrReleaseValues(spec: PitrValuesInputs): Record<string, unknown> {
    const pitr = spec.postgresqlPitr;
    if (!pitr) return {};
    const user = object(spec.userReleaseValues.postgresql);
    const own = typeof object(user.primary).extendedConfiguration === "string" ? `${object(user.primary).extendedConfiguration.trimEnd()}\n` : "";
    return {
        postgresql: {
            primary: {
                pgHbaConfiguration: pgHba(user),
                extendedConfiguration: `${own}${pitrConfiguration(pitr)}`,
            },
            ...(spec.monitoring.enabled ? { metrics: slotMetrics(spec.monitoring.ruleLabels) } : {}),
        },
    };
}

/**
 * The primary's settings for the stream. Synchronous: a commit returns once the receiver has
 * flushed its WAL — `pg_receivewal --synchronous` reports each flush at once — so a primary lost
 * right after a commit loses nothing confirmed. Not while a restore runs: the receiver is scaled to
 * 0 then, and every commit of the restored database would wait for it.
 */
function pitrConfiguration(pitr: NonNullable<DrSpec["postgresqlPitr"]>): string {
    const lines = [
        "# qalita-dr (docs/pitr.md): the most WAL a WAL receiver that stopped may keep on this disk",
        `max_slot_wal_keep_size = ${pitr.maxSlotWalKeepSize}`,
    ];
    if (pitr.synchronous && !pitr.restore) {
        lines.push(
            "# qalita-dr: commits wait until the WAL receiver has flushed them (pitr.synchronous)",
            `synchronous_standby_names = '"${PITR_APPLICATION_NAME}"'`,
            "synchronous_commit = on",
        );
    }
    return `${lines.join("\n")}\n`;
}

/** The pg_hba.conf the image would write for these values, then the replication role's entries. */
export function pgHba(postgresqlValues: Values): string {
    const tls = object(postgresqlValues.tls);
    const lines = [
        "# The image's own entries (Bitnami libpostgresql.sh), as it writes them for these values:",
        ...(tls.enabled === true && tls.certCAFilename
            ? [
                  "hostssl     all             all             0.0.0.0/0               cert",
                  "hostssl     all             all             ::/0                    cert",
              ]
            : []),
        "host     all             all             0.0.0.0/0               md5",
        "host     all             all             ::/0                    md5",
        "local    all             all                                     md5",
        "host     all             all        127.0.0.1/32                 md5",
        "host     all             all        ::1/128                      md5",
        ...(postgresqlValues.architecture === "replication"
            ? ["host      replication     all             0.0.0.0/0               md5", "host      replication     all             ::/0                    md5"]
            : []),
        "# qalita-dr: the WAL receiver and the base backups (docs/pitr.md)",
        `host     replication     ${PITR_ROLE}   0.0.0.0/0               scram-sha-256`,
        `host     replication     ${PITR_ROLE}   ::/0                    scram-sha-256`,
    ];
    return `${lines.join("\n")}\n`;
}

/** The exporter, a custom query of the receiver's slot, and a ServiceMonitor the Prometheus of the rules selects. */
function slotMetrics(ruleLabels: Readonly<Record<string, string>>): Values {
    const query =
        "SELECT slot_name, active::int AS active, " +
        "COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0) AS retained_bytes, " +
        "COALESCE(safe_wal_size, -1) AS safe_wal_size_bytes, (wal_status = 'lost')::int AS lost " +
        `FROM pg_replication_slots WHERE slot_name = '${PITR_SLOT}'`;
    return {
        enabled: true,
        customMetrics: {
            [PITR_SLOT_METRIC]: {
                query,
                metrics: [
                    { slot_name: { usage: "LABEL", description: "The WAL receiver's replication slot" } },
                    { active: { usage: "GAUGE", description: "1 while the receiver streams" } },
                    { retained_bytes: { usage: "GAUGE", description: "WAL the primary keeps for the receiver" } },
                    { safe_wal_size_bytes: { usage: "GAUGE", description: "WAL that can still be written before the slot is lost (-1: no limit)" } },
                    { lost: { usage: "GAUGE", description: "1 once max_slot_wal_keep_size invalidated the slot" } },
                ],
            },
        },
        serviceMonitor: { enabled: true, labels: { ...ruleLabels } },
    };
}
