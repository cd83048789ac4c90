/** The human view of a plan: the DR posture table and what would be created. */
import { COST_NOTE, CostRow } from "../../config/cost-estimate";
import { PostureRow } from "../../components/posture";
import { PlanStep } from "./run-program";
import { renderTable, TableStyle } from "./table-format";

const MECHANISM_WORDS: Record<string, string> = {
    "pg-dump": "pg_dump CronJob",
    "volume-snapshot": "VolumeSnapshot schedule",
    "offsite-copy": "offsite copy (rclone)",
    "restore-drill": "restore drill (CronJob)",
    pitr: "WAL stream + base backups (PITR)",
    "pitr-offsite": "PITR offsite copy (rclone)",
};

/** One line per protection path, so each shows its own RPO and expected RTO. */
export function postureTable(rows: readonly PostureRow[], style: TableStyle): string {
    const table: (string | number)[][] = [];
    for (const row of rows) {
        if (row.paths.length === 0) {
            const mechanism = row.acceptedRisk ? `none — risk accepted: ${row.acceptedRisk}` : "none";
            table.push([row.element, row.criticality, mechanism, row.schedule, "—", "—", "—", row.destination, row.restore]);
            continue;
        }
        row.paths.forEach((path, index) =>
            table.push([
                index === 0 ? row.element : "",
                index === 0 ? row.criticality : "",
                MECHANISM_WORDS[path.mechanism] ?? path.mechanism,
                path.schedule,
                `${Math.round(path.rpoHours * 10) / 10} h`,
                path.rto,
                `${path.retentionDays} d`,
                path.destination,
                path.restore,
            ]),
        );
        // A looser schedule accepted in config: the reason stands under the paths it concerns.
        if (row.acceptedRisk) table.push(["", "", `risk accepted: ${row.acceptedRisk}`, "", "", "", "", "", ""]);
    }
    const head = ["element", "criticality", "mechanism", "schedule", "RPO", "RTO (expected)", "kept", "destination", "restore"];
    return renderTable(head, table, [12, 13, 17, 26, 7, 24, 7, 38, 30], style);
}

/** The freshness alerts of each path (qalita-dr:monitoring): what they watch, when "stale" fires, their names. */
export function alertTable(rows: readonly PostureRow[], style: TableStyle): string | undefined {
    const monitored = rows.flatMap((row) => row.paths.filter((path) => path.monitoring).map((path) => ({ element: row.element, path })));
    if (monitored.length === 0) return undefined;
    const table: string[][] = [];
    for (const { element, path } of monitored) {
        const { watches, staleAfterHours, alerts } = path.monitoring!;
        table.push([element, MECHANISM_WORDS[path.mechanism] ?? path.mechanism, watches, `${Math.round(staleAfterHours * 10) / 10} h`, alerts.join(" ")]);
    }
    return renderTable(["element", "mechanism", "watches", "stale after", "alerts"], table, [12, 17, 42, 13, 60], style);
}

export function warningList(warnings: readonly { element?: string; message: string }[]): string {
    return warnings.map((warning) => `  ! ${warning.element ? `${warning.element}: ` : ""}${warning.message}`).join("\n");
}

export function resourceCountTable(steps: readonly PlanStep[], style: TableStyle): string {
    const counts = new Map<string, number>();
    for (const step of steps) counts.set(step.newState.type, (counts.get(step.newState.type) ?? 0) + 1);
    const rows: (string | number)[][] = [...counts].sort(([a], [b]) => a.localeCompare(b));
    return renderTable(["resource type", "to create"], [...rows, ["total", steps.length]], undefined, style);
}

const usd = (amount: number) => `$${amount.toFixed(2)}`;

export function costTable(rows: readonly CostRow[], style: TableStyle): string {
    const table: string[][] = [];
    for (const row of rows) {
        table.push([row.element, `${row.backupSizeGb} GB`, `${row.intervalHours} h`, row.tiering, usd(row.tieredUsd), usd(row.allStandardUsd)]);
    }
    const total = (pick: (row: CostRow) => number) => usd(rows.reduce((sum, row) => sum + pick(row), 0));
    table.push(["total", "", "", "", total((row) => row.tieredUsd), total((row) => row.allStandardUsd)]);
    const head = ["element", "backup", "every", "tiering", "tiered /month", "all STANDARD /month"];
    return `${renderTable(head, table, [12, 9, 8, 60, 15, 21], style)}\n${COST_NOTE}`;
}
