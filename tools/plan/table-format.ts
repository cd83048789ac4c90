/**
 * How the tools print a table: boxed and fitted to the terminal (`table`), aligned columns with no
 * borders and one line per row for pipes, grep and diffs (`plain`), or a GitHub-flavoured
 * Markdown table for a pull-request comment (`markdown`).
 */
import Table from "cli-table3";
import { UsageError } from "../cli";

export const TABLE_FORMATS = ["table", "plain", "markdown"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export interface TableStyle {
    readonly format: TableFormat;
    /** The terminal's width, for `table`: columns shrink (and wrap) to fit it. */
    readonly width?: number;
}

/** What a terminal gets by default, and what a pipe gets. */
export function defaultStyle(columns: number | undefined): TableStyle {
    return columns ? { format: "table", width: columns } : { format: "plain" };
}

/** The style `--format` asks for (a UsageError names a bad one); without it, the terminal's default. */
export function styleFromFlag(format: string | undefined, columns: number | undefined): TableStyle {
    if (format === undefined) return defaultStyle(columns);
    if (!(TABLE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: write one of ${TABLE_FORMATS.join(", ")}`);
    return { format: format as TableFormat, width: columns };
}

type Cell = string | number;

/** A column never narrower than this, borders and padding included: a word stays readable. */
const MIN_COLUMN = 7;

/**
 * Column widths that fit `width` (each border takes one character): wide columns give up room in
 * proportion to their width, so a 38-character destination shrinks before a 7-character RPO.
 */
export function fitWidths(widths: readonly number[], width: number | undefined): number[] {
    const total = widths.reduce((sum, column) => sum + column, 0) + widths.length + 1;
    if (!width || total <= width) return [...widths];
    const available = Math.max(width - widths.length - 1, MIN_COLUMN * widths.length);
    const flexible = widths.reduce((sum, column) => sum + Math.max(column - MIN_COLUMN, 0), 0);
    const excess = widths.reduce((sum, column) => sum + column, 0) - available;
    return widths.map((column) => Math.max(MIN_COLUMN, column - Math.ceil((Math.max(column - MIN_COLUMN, 0) / flexible) * excess)));
}

const PLAIN_CHARS = {
    top: "",
    "top-mid": "",
    "top-left": "",
    "top-right": "",
    bottom: "",
    "bottom-mid": "",
    "bottom-left": "",
    "bottom-right": "",
    left: "",
    "left-mid": "",
    mid: "",
    "mid-mid": "",
    right: "",
    "right-mid": "",
    middle: "  ",
};

const markdownCell = (cell: Cell) => String(cell).replace(/\|/g, "\\|").replace(/\n/g, "<br>");

/** Renders head and rows in the style; `widths` are the boxed table's natural column widths. */
export function renderTable(head: readonly string[], rows: readonly Cell[][], widths: readonly number[] | undefined, style: TableStyle): string {
    if (style.format === "markdown") {
        const line = (cells: readonly Cell[]) => `| ${cells.map(markdownCell).join(" | ")} |`;
        return [line(head), `|${head.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
    }
    if (style.format === "plain") {
        const table = new Table({ head: [...head], chars: PLAIN_CHARS, style: { head: [], border: [], "padding-left": 0, "padding-right": 0 } });
        table.push(...rows.map((row) => row.map((cell) => String(cell).replace(/\n/g, " "))));
        return table
            .toString()
            .split("\n")
            .map((line) => line.trimEnd())
            .join("\n");
    }
    const table = new Table({
        head: [...head],
        ...(widths ? { colWidths: fitWidths(widths, style.width), wordWrap: true } : {}),
        style: { head: [], border: [] },
    });
    table.push(...rows.map((row) => [...row]));
    return table.toString();
}
