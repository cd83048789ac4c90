/**
 * postgres-backup-enabled — the QALITA release enables the Bitnami backup CronJob with a schedule
 * whose longest gap is at most 24 h (PostgreSQL is QALITA's one critical element).
 */
import { MAX_INTERVAL_HOURS } from "../../contracts/elements";
import { maxIntervalHours, parseSchedule } from "../../contracts/schedule";
import { isQalitaRelease } from "../lib/mechanisms";
import { Finding, RuleDefinition } from "../lib/resources";
import { BLINDED } from "../../contracts/preview";

/** Bitnami 12.12.10's default `backup.cronjob.schedule`. */
const CHART_DEFAULT_SCHEDULE = "@daily";

export const postgresBackupEnabled: RuleDefinition = {
    name: "postgres-backup-enabled",
    description: "The QALITA release enables postgresql.backup with a schedule of at most 24 h between dumps.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediation:
        'Set qalita-dr:elements.postgresql.enabled: true and a schedule with at most 24 h between dumps (e.g. "0 2 * * *"); the stack writes postgresql.backup into the release values. Keep the values readable (secrets go in valueYamlFiles).',
    acceptsRisk: true,
    check(resources) {
        const limit = MAX_INTERVAL_HOURS.critical!;
        return resources.filter(isQalitaRelease).flatMap((release): Finding[] => {
            const values = release.props.values;
            if (values === BLINDED) {
                return [
                    {
                        urn: release.urn,
                        message:
                            "the release's values are secret, so the backup cannot be verified; keep secrets out of `values` (use valueYamlFiles or Secret references)",
                    },
                ];
            }
            const backup = values?.postgresql?.backup;
            if (backup?.enabled !== true) {
                return [
                    {
                        urn: release.urn,
                        message:
                            "values.postgresql.backup.enabled is not true: PostgreSQL (critical) has no dump; set qalita-dr:elements.postgresql.enabled: true",
                        risk: { element: "postgresql", gap: "no-backup" },
                    },
                ];
            }
            const expression = String(backup.cronjob?.schedule ?? CHART_DEFAULT_SCHEDULE);
            const parsed = parseSchedule(expression);
            if (!parsed.ok) return [{ urn: release.urn, message: `values.postgresql.backup.cronjob.schedule: ${parsed.message}` }];
            const gap = maxIntervalHours(parsed.cron);
            return gap > limit
                ? [
                      {
                          urn: release.urn,
                          message: `values.postgresql.backup.cronjob.schedule "${expression}" leaves up to ${gap} h between dumps; PostgreSQL is critical: at most ${limit} h (e.g. "0 2 * * *")`,
                          risk: { element: "postgresql", gap: "looser-schedule" },
                      },
                  ]
                : [];
        });
    },
};
