/** Go's time.ParseDuration ("720h", "1h30m", "1.5h", "300ms"), as snapscheduler reads `expires`. */
import { GO_DURATION_MAX_HOURS, GO_DURATION_MAX_SECONDS } from "../../contracts/limits";

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const COMPONENT = /^([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/;

export type GoDuration = { ok: true; seconds: number } | { ok: false; message: string };

export function parseGoDuration(text: string): GoDuration {
    const invalid: GoDuration = { ok: false, message: `"${text}" is not a Go duration; write e.g. "720h" or "90m"` };
    let rest = text;
    let sign = 1;
    if (rest.startsWith("-") || rest.startsWith("+")) {
        sign = rest.startsWith("-") ? -1 : 1;
        rest = rest.slice(1);
    }
    if (rest === "0") return { ok: true, seconds: 0 };
    if (rest === "") return invalid;
    let seconds = 0;
    while (rest !== "") {
        const match = COMPONENT.exec(rest);
        if (!match) return invalid;
        seconds += Number(match[1]) * UNIT_SECONDS[match[2]];
        rest = rest.slice(match[0].length);
    }
    // Go holds a duration as int64 nanoseconds: ParseDuration fails on anything longer.
    if (seconds > GO_DURATION_MAX_SECONDS)
        return {
            ok: false,
            message: `"${text}" is longer than Go's longest duration (${GO_DURATION_MAX_HOURS}h, int64 nanoseconds), so time.ParseDuration rejects it; write at most "${GO_DURATION_MAX_HOURS}h"`,
        };
    return { ok: true, seconds: sign * seconds };
}

/** snapscheduler's CRD narrows `expires` to one whole-number unit: ^\d+(h|m|s)$. */
export function isSnapschedulerDuration(text: string): boolean {
    return /^\d+(h|m|s)$/.test(text);
}
