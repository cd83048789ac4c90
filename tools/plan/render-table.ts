/** The human view of a plan: the DR posture table and what would be created. */
import Table from "cli-table3";
import { COST_NOTE, CostRow } from "../../config/cost-estimate";
import { PostureRow } from "../../components/posture";
import { PlanStep } from "./run-program";

const MECHANISM_WORDS: Record<string, string> = {
    "pg-dump": "pg_dump CronJob",
    "volume-snapshot": "VolumeSnapshot schedule",
    "offsite-copy": "offsite copy (rclone)",
    "restore-drill": "restore drill (CronJob)",
};

/** One line per protection path, so each shows its own RPO and expected RTO. */
export function postureTable(rows: readonly PostureRow[]): string {
    const table = new Table({
        head: ["element", "criticality", "mechanism", "schedule", "RPO", "RTO (expected)", "kept", "destination", "restore"],
        colWidths: [12, 13, 17, 26, 7, 24, 7, 38, 30],
        wordWrap: true,
        style: { head: [], border: [] },
    });
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
    }
    return table.toString();
}

/** The freshness alerts of each path (qalita-dr:monitoring): what they watch, when "stale" fires, their names. */
export function alertTable(rows: readonly PostureRow[]): string | undefined {
    const monitored = rows.flatMap((row) => row.paths.filter((path) => path.monitoring).map((path) => ({ element: row.element, path })));
    if (monitored.length === 0) return undefined;
    const table = new Table({
        head: ["element", "mechanism", "watches", "stale after", "alerts"],
        colWidths: [12, 17, 42, 13, 60],
        wordWrap: true,
        style: { head: [], border: [] },
    });
    for (const { element, path } of monitored) {
        const { watches, staleAfterHours, alerts } = path.monitoring!;
        table.push([element, MECHANISM_WORDS[path.mechanism] ?? path.mechanism, watches, `${Math.round(staleAfterHours * 10) / 10} h`, alerts.join(" ")]);
    }
    return table.toString();
}

export function warningList(warnings: readonly { element?: string; message: string }[]): string {
    return warnings.map((warning) => `  ! ${warning.element ? `${warning.element}: ` : ""}${warning.message}`).join("\n");
}

export function resourceCountTable(steps: readonly PlanStep[]): string {
    const counts = new Map<string, number>();
    for (const step of steps) counts.set(step.newState.type, (counts.get(step.newState.type) ?? 0) + 1);
    const table = new Table({ head: ["resource type", "to create"], style: { head: [], border: [] } });
    for (const [type, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) table.push([type, count]);
    table.push(["total", steps.length]);
    return table.toString();
}

const usd = (amount: number) => `$${amount.toFixed(2)}`;

export function costTable(rows: readonly CostRow[]): string {
    const table = new Table({
        head: ["element", "backup", "every", "tiering", "tiered /month", "all STANDARD /month"],
        wordWrap: true,
        colWidths: [12, 9, 8, 60, 15, 21],
        style: { head: [], border: [] },
    });
    for (const row of rows) {
        table.push([row.element, `${row.backupSizeGb} GB`, `${row.intervalHours} h`, row.tiering, usd(row.tieredUsd), usd(row.allStandardUsd)]);
    }
    const total = (pick: (row: CostRow) => number) => usd(rows.reduce((sum, row) => sum + pick(row), 0));
    table.push(["total", "", "", "", total((row) => row.tieredUsd), total((row) => row.allStandardUsd)]);
    return `${table.toString()}\n${COST_NOTE}`;
}
