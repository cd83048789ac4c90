/**
 * promtool, Prometheus' own rule checker and rule unit-test runner (Debian package `prometheus`,
 * listed in .ci/apt-packages.txt): rule files and their tests are written to a temporary
 * directory and run by the real tool.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { collect, ProcessResult } from "./process";

const INSTALL_HINT = "promtool is not on PATH: install it with `apt-get install -y prometheus` (npm test's pretest does, as root)";

/** Runs `promtool ARGS…` in a fresh directory holding `files` (name → object written as YAML). */
export async function promtool(args: readonly string[], files: Readonly<Record<string, unknown>>): Promise<ProcessResult> {
    const dir = mkdtempSync(join(tmpdir(), "qalita-dr-promtool-"));
    try {
        for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), stringify(content, { lineWidth: 0 }));
        return await collect(["promtool", ...args], { cwd: dir });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(INSTALL_HINT);
        throw error;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
