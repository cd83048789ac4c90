/**
 * The one way the stack reads its shell scripts: from the repository, `components/<area>/scripts/`
 * — the very files the tests run. Where a job's pod finds them is another thing:
 * components/jobs/pod.ts SCRIPTS_MOUNT.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The components with a scripts/ folder. */
export type ScriptArea = "agents" | "offsite" | "postgresql" | "postgresql/pitr" | "seaweedfs";

/** The repository folder of an area's scripts. */
export function scriptsSourceDir(area: ScriptArea): string {
    return join(__dirname, area, "scripts");
}

export function readScript(area: ScriptArea, name: string): string {
    return readFileSync(join(scriptsSourceDir(area), name), "utf8");
}

/** ConfigMap entries: each named script of the area under its file name. */
export function scriptFiles(area: ScriptArea, names: readonly string[]): Record<string, string> {
    return Object.fromEntries(names.map((name) => [name, readScript(area, name)]));
}
