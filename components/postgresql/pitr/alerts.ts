/**
 * Pure: the alerts of the WAL stream itself, beside the freshness alerts every CronJob of the
 * path gets (components/monitoring/paths.ts: base backups, the copy) — in the same PrometheusRule:
 * the receiver down (kube-state-metrics' Deployment series), its slot inactive, WAL piling up on
 * the primary's disk towards max_slot_wal_keep_size, the slot lost (the custom query the chart's
 * postgres-exporter runs: values.ts). docs/pitr.md › Alerts says what to do for each.
 */
import { ALERT_LABELS, SEVERITY } from "../../../contracts/monitoring";
import { PITR_SLOT, PITR_SLOT_METRIC, pitrReceiverName } from "../../../contracts/pitr";
import type { AlertingRule, RuleGroup } from "../../monitoring/rules-spec";

export interface PitrAlertsArgs {
    readonly namespace: string;
    readonly release: string;
    /** `max_slot_wal_keep_size` as PostgreSQL writes it ("2GB"). */
    readonly maxSlotWalKeepSize: string;
    readonly runbookBaseUrl: string;
}

const UNITS: Record<string, number> = { MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 };

/** "2GB" → bytes. */
export function pgSizeBytes(size: string): number {
    const match = /^(\d+)(MB|GB|TB)$/.exec(size);
    if (!match) throw new Error(`not a PostgreSQL size: ${size}`);
    return Number(match[1]) * UNITS[match[2]];
}

export function pitrRuleGroup(args: PitrAlertsArgs): RuleGroup {
    const deployment = `{namespace="${args.namespace}", deployment="${pitrReceiverName(args.release)}"}`;
    const slot = (metric: string) => `max by (slot_name) (${PITR_SLOT_METRIC}_${metric}{slot_name="${PITR_SLOT}"})`;
    const rule = (
        alert: string,
        signal: string,
        severity: "critical" | "warning",
        expr: string,
        forDuration: string,
        summary: string,
        description: string,
    ): AlertingRule => ({
        alert,
        expr,
        ...(forDuration ? { for: forDuration } : {}),
        labels: {
            [ALERT_LABELS.element]: "postgresql",
            [ALERT_LABELS.criticality]: "critical",
            [ALERT_LABELS.severity]: severity === "critical" ? SEVERITY.critical : SEVERITY.moderate,
            [ALERT_LABELS.mechanism]: "pitr",
            [ALERT_LABELS.signal]: signal,
            [ALERT_LABELS.namespace]: args.namespace,
        },
        annotations: { summary, description, runbook_url: `${args.runbookBaseUrl}pitr.md#${signal}` },
    });
    const limit = pgSizeBytes(args.maxSlotWalKeepSize);
    return {
        name: "qalita-dr.postgresql.pitr",
        rules: [
            rule(
                "QalitaDrPitrReceiverDown",
                "receiver-down",
                "critical",
                `max(kube_deployment_spec_replicas${deployment}) >= 1 and max(kube_deployment_status_replicas_available${deployment}) < 1`,
                "5m",
                "PostgreSQL WAL receiver is down",
                `Deployment ${args.namespace}/${pitrReceiverName(args.release)} has had no available pod for 5 min: no WAL reaches the archive; the primary keeps it, up to max_slot_wal_keep_size (${args.maxSlotWalKeepSize}).`,
            ),
            rule(
                "QalitaDrPitrSlotInactive",
                "slot-inactive",
                "critical",
                `${slot("active")} == 0`,
                "10m",
                "PostgreSQL WAL receiver is not streaming",
                `Nothing has streamed through slot ${PITR_SLOT} for 10 min (the receiver cannot connect or authenticate, or it is down).`,
            ),
            rule(
                "QalitaDrPitrSlotLag",
                "slot-lag",
                "warning",
                `${slot("retained_bytes")} > ${Math.round(limit / 2)}`,
                "10m",
                "PostgreSQL keeps WAL the receiver has not received",
                `The primary keeps over half of max_slot_wal_keep_size (${args.maxSlotWalKeepSize}) for slot ${PITR_SLOT}: at the limit it drops the slot, and the archive gets a gap.`,
            ),
            rule(
                "QalitaDrPitrSlotLost",
                "slot-lost",
                "critical",
                `${slot("lost")} == 1`,
                "",
                "PostgreSQL dropped the WAL the receiver had not received",
                `Slot ${PITR_SLOT} exceeded max_slot_wal_keep_size (${args.maxSlotWalKeepSize}): the archive has a gap; the receiver starts a new generation and its first base backup as it reconnects.`,
            ),
            rule(
                "QalitaDrPitrSlotMetricMissing",
                "slot-metric-missing",
                "warning",
                `absent(${PITR_SLOT_METRIC}_active{slot_name="${PITR_SLOT}"})`,
                "30m",
                "No metric of the WAL receiver's slot",
                `Prometheus has no ${PITR_SLOT_METRIC}_active for 30 min: the chart's postgres-exporter is not scraped, or the slot does not exist (the receiver never connected).`,
            ),
        ],
    };
}
