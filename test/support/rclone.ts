// rclone for the tests' own setup and inspection, and the scripts' destination settings on a test server.
import { spawnSync } from "node:child_process";
import { collect, ProcessResult } from "./process";
import { S3Server } from "./s3-server";

export type ScriptResult = ProcessResult;

/** Throws (never skips) when rclone is missing, naming the command that installs it. */
export function requireRclone(): void {
    const probe = spawnSync("rclone", ["version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) {
        throw new Error("rclone is not on PATH: install it with `apt-get install -y rclone` (Debian, 1.60)");
    }
}

/**
 * The child gets this process's env minus anything that would change rclone's behaviour
 * behind the test's back: AWS_* (AWS_CA_BUNDLE is exported on these machines and rclone 1.60
 * then fails with LoadCustomCABundleError; ambient credentials), RCLONE_* and DR_* settings.
 */
export function scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^(AWS|RCLONE|DR)_/.test(k)) continue;
        env[k] = v;
    }
    return { ...env, ...extra };
}

/**
 * Runs rclone itself (test-side setup and inspection); rejects with its log on failure.
 * Asynchronous on purpose: s3rver answers from this process's event loop.
 */
export async function rclone(args: string[], env: Record<string, string>, input = ""): Promise<string> {
    const result = await runRclone(args, env, input);
    if (result.code !== 0) throw new Error(`rclone ${args[0]} failed: ${result.stderr}`);
    return result.stdout;
}

/** rclone with env-only config (RCLONE_CONFIG=/dev/null); never rejects, the caller judges. */
export function runRclone(args: string[], env: Record<string, string>, input?: string): Promise<ScriptResult> {
    return collect(["rclone", ...args], { env: scriptEnv({ RCLONE_CONFIG: "/dev/null", ...env }), input });
}

/**
 * rclone env config (RCLONE_CONFIG_<NAME>_*) of an s3 remote on a test server, for the test's own
 * setup and inspection: behind an AWS-like endpoint, the store itself (real MD5 ETags, no rules).
 */
export function s3RemoteEnv(name: string, server: S3Server & { storeEndpoint?: string }): Record<string, string> {
    const p = `RCLONE_CONFIG_${name.toUpperCase()}_`;
    return {
        [`${p}TYPE`]: "s3",
        [`${p}PROVIDER`]: "Other",
        [`${p}ENDPOINT`]: server.storeEndpoint ?? server.endpoint,
        [`${p}ACCESS_KEY_ID`]: server.accessKeyId,
        [`${p}SECRET_ACCESS_KEY`]: server.secretAccessKey,
        [`${p}FORCE_PATH_STYLE`]: "true",
    };
}

/** The scripts' destination settings for a bucket on a test server. */
export function destEnv(server: S3Server, bucket: string): Record<string, string> {
    return {
        DR_DEST_BUCKET: bucket,
        DR_DEST_PROVIDER: "Other",
        DR_DEST_ENDPOINT: server.endpoint,
        DR_DEST_ACCESS_KEY_ID: server.accessKeyId,
        DR_DEST_SECRET_ACCESS_KEY: server.secretAccessKey,
    };
}

/** Explains a failed expectation with the script's own log. */
export function describeRun(r: ScriptResult): string {
    return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}
