/**
 * Passing a script file as a container command through Bitnami 12.12.10's backup CronJob.
 *
 * The chart renders each `backup.cronjob.command` item unquoted (`- {{ . }}`), so a multi-line
 * script would break the rendered YAML. The script therefore travels gzip+base64-encoded on one
 * line and is decoded by the pod's own bash, coreutils and gzip (all the chart's image has), then
 * run with `eval` — still the very same file the tests run.
 */
import { gzipSync } from "node:zlib";

/**
 * `["/bin/bash", "-c", "<one line>"]` that runs `script` with `env` exported first. Values in
 * `env` are settings, never secrets (those come from the chart's Secret-backed env vars).
 */
export function inlineBashCommand(script: string, env: Record<string, string | number> = {}): string[] {
    for (const [name, value] of Object.entries(env)) {
        if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || !/^[A-Za-z0-9_.:/-]*$/.test(String(value))) {
            throw new Error(`inline command setting ${name}=${value} must be a plain word`);
        }
    }
    const exports = Object.entries(env)
        .map(([name, value]) => `export ${name}=${value}`)
        .join("\n");
    const payload = gzipSync(Buffer.from(`${exports}\n${script}`), { level: 9 }).toString("base64");
    // Decoding into a variable first means a corrupt payload fails before anything runs.
    return ["/bin/bash", "-c", `script=$(printf %s ${payload} | base64 -d | gzip -dc) && eval "$script"`];
}
