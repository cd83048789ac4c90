/** Shell shared by the scripts of every job that reaches the cold-storage bucket. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** ConfigMap entries to mount beside any script that sources rclone-dest.sh. */
export function rcloneLibraryFiles(): Record<string, string> {
    return { "rclone-dest.sh": readFileSync(join(__dirname, "scripts", "rclone-dest.sh"), "utf8") };
}
