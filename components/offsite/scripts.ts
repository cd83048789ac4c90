/** The files of a job that reaches the cold-storage bucket. */
import { ScriptArea, scriptFiles } from "../scripts";

/** Shell shared by the scripts of every job that reaches the bucket; each sources it from beside itself. */
export const RCLONE_LIBRARY = "rclone-dest.sh";
/** The dead-man's switch every offsite copy pings when it ends (docs/monitoring.md › Heartbeat). */
export const HEARTBEAT_LIBRARY = "heartbeat.sh";

/** ConfigMap files of such a job: the area's scripts and the shell they source. */
export function coldStorageJobFiles(area: ScriptArea, names: readonly string[]): Record<string, string> {
    return { ...scriptFiles(area, names), ...scriptFiles("offsite", [RCLONE_LIBRARY]) };
}

/** ConfigMap files of an offsite copy: a cold-storage job's, and the heartbeat it pings. */
export function offsiteCopyJobFiles(area: ScriptArea, names: readonly string[]): Record<string, string> {
    return { ...coldStorageJobFiles(area, names), ...scriptFiles("offsite", [HEARTBEAT_LIBRARY]) };
}
