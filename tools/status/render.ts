/** The status report for people (tables, as the plan prints them) and for machines (`--json`). */
import { renderTable, TableStyle } from "../plan/table-format";
import { formatSeconds } from "./durations";
import type { DrillReport, PathReport, StatusReport } from "./report";

/** One line per protection path: how old its newest backup is, against its budget. */
export function pathTable(report: StatusReport, style: TableStyle): string {
    const rows = report.paths.map((path, index) => {
        const first = index === 0 || report.paths[index - 1].element !== path.element;
        return [
            first ? path.element : "",
            first ? path.criticality : "",
            `${path.title}\n(${path.watches.kind} ${path.watches.name})`,
            path.freshness.ageSeconds === undefined ? "—" : `${age(path.freshness.ageSeconds)} ago`,
            formatSeconds(path.budgetSeconds),
            path.freshness.status,
            detail(path, report.drill),
        ];
    });
    return renderTable(["element", "criticality", "path", "newest backup", "budget", "status", "detail"], rows, [12, 13, 40, 15, 9, 17, 60], style);
}

/** To the minute: seconds matter for an RTO or a budget's edge, not for a backup's age. */
const age = (seconds: number) => formatSeconds(seconds >= 60 ? Math.round(seconds / 60) * 60 : seconds);

function detail(path: PathReport, drill: DrillReport | undefined): string {
    if (path.freshness.detail) return path.freshness.detail;
    if (path.mechanism !== "restore-drill" || !drill) return "";
    if (!("result" in drill.last)) return drill.last.none;
    return `last drill: ${drill.last.result.outcome}, RTO ${seconds(drill.rtoSeconds)}, RPO ${seconds(drill.rpoSeconds)}`;
}

const seconds = (value: number | null) => (value === null ? "not measured" : formatSeconds(value));
const count = (value: number | null) => (value === null ? "—" : String(value));
const mebibytes = (bytes: number | null) => (bytes === null ? "—" : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`);

/** What the last restore drill measured (docs/drills.md › What it measures). */
export function drillTable(drill: DrillReport, style: TableStyle): string {
    if (!("result" in drill.last)) return `none: ${drill.last.none}`;
    const result = drill.last.result;
    const head = ["outcome", "dump", "RPO (dump age)", "RTO (download + restore)", "size", "tables", "mismatches", "amcheck errors", "reason"];
    const rto =
        drill.rtoSeconds === null ? "not measured" : `${seconds(drill.rtoSeconds)} (${seconds(result.downloadSeconds)} + ${seconds(result.restoreSeconds)})`;
    const row = [
        result.outcome,
        `${result.dumpId ?? "—"}${result.source ? `\nfrom ${result.source}` : ""}`,
        seconds(drill.rpoSeconds),
        rto,
        mebibytes(result.bytes),
        count(result.tables),
        count(result.mismatches),
        count(result.amcheckErrors),
        result.reason ?? "",
    ];
    return renderTable(head, [row], [9, 20, 10, 16, 11, 8, 12, 9, 50], style);
}

/** The paths that need attention, or that none does; the elements nothing backs up. */
export function summary(report: StatusReport): string {
    const attention = report.paths.filter((path) => path.freshness.status !== "ok");
    const lines = [
        attention.length === 0
            ? `all ${report.paths.length} protection paths within budget`
            : `${attention.length} of ${report.paths.length} protection paths need attention: ${attention.map((path) => `${path.title} (${path.freshness.status})`).join(", ")}`,
    ];
    if (report.notBackedUp.length > 0) lines.push(`not backed up: ${report.notBackedUp.map((entry) => `${entry.element} (${entry.why})`).join(", ")}`);
    return lines.join("\n");
}

/** The report as one JSON document; times in ISO 8601, durations in seconds. */
export function statusJson(report: StatusReport): unknown {
    return {
        stack: report.stack,
        checkedAt: report.checkedAt.toISOString(),
        healthy: report.healthy,
        paths: report.paths.map(({ freshness, ...path }) => ({
            ...path,
            status: freshness.status,
            lastSuccess: freshness.lastSuccess?.toISOString() ?? null,
            ageSeconds: freshness.ageSeconds ?? null,
            detail: freshness.detail ?? null,
        })),
        drill: report.drill
            ? {
                  element: report.drill.element,
                  configMap: report.drill.configMap,
                  result: "result" in report.drill.last ? report.drill.last.result : null,
                  none: "none" in report.drill.last ? report.drill.last.none : null,
                  rtoSeconds: report.drill.rtoSeconds,
                  rpoSeconds: report.drill.rpoSeconds,
              }
            : null,
        notBackedUp: report.notBackedUp,
    };
}
