/**
 * A stand-in `kubectl` for `npm run status`: an executable written into a temp directory put on
 * PATH, which records the arguments of every call and answers `kubectl get <resource>` with the
 * List recorded for that resource (test/fixtures/status/<resource>.json: the objects of the fixture
 * stack Pulumi.live.yaml, as the API served them at RECORDED_AT). A resource with no answer fails
 * as kubectl does for an unknown resource type; `stderr` makes a resource fail with that text.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const STATUS_FIXTURES = resolve(__dirname, "../fixtures/status");
/** The fixture stack of test/fixtures/status/Pulumi.live.yaml, as status flags. */
export const LIVE_STACK_ARGS = ["--stack", "live", "--config-dir", STATUS_FIXTURES];
/** When the fixtures were recorded: with `now` here, the recorded cluster is healthy. */
export const RECORDED_AT = new Date("2026-03-14T09:41:07Z");

/** `kubectl get` resource → its answer, a List as `-o json` prints it. */
export type Answers = Record<string, any>;

export function fixture(file: string): any {
    return JSON.parse(readFileSync(join(STATUS_FIXTURES, file), "utf8"));
}

/** The recorded cluster, every path fresh at RECORDED_AT: a fresh copy each call, for a test to change. */
export function recordedAnswers(): Answers {
    const resources = ["cronjobs.batch", "jobs.batch", "snapshotschedules.snapscheduler.backube", "configmaps"];
    return Object.fromEntries(resources.map((resource) => [resource, fixture(`${resource}.json`)]));
}

/** The named item of a List answer. */
export function item(answers: Answers, resource: string, name: string): any {
    const found = answers[resource].items.find((object: any) => object.metadata.name === name);
    if (!found) throw new Error(`no ${name} in the ${resource} answer`);
    return found;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The answers with every timestamp moved by `ms`: the recorded cluster as it would be `ms` later (or earlier). */
export function shiftTimes<T>(value: T, ms: number): T {
    if (typeof value === "string" && ISO_TIME.test(value)) return new Date(Date.parse(value) + ms).toISOString().replace(/\.000Z$/, "Z") as T;
    if (Array.isArray(value)) return value.map((entry) => shiftTimes(entry, ms)) as T;
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, shiftTimes(entry, ms)])) as T;
    return value;
}

export interface StandInKubectl {
    /** The environment to run status in: PATH holds the stand-in only. */
    readonly env: NodeJS.ProcessEnv;
    /** The arguments of each call, in order. */
    calls(): string[][];
    remove(): void;
}

/** An absolute shebang and PATH: the environment it runs in has only the stand-in on PATH. */
const SCRIPT = (dir: string) => `#!/bin/bash
export PATH=/usr/bin:/bin
dir='${dir}'
printf '%s\\0' "$@" >>"$dir/calls"; printf '\\n' >>"$dir/calls"
[[ $1 == get ]] || { echo "stand-in kubectl answers get only, not: $*" >&2; exit 1; }
if [[ -f "$dir/$2.stderr" ]]; then cat "$dir/$2.stderr" >&2; exit 1; fi
if [[ -f "$dir/$2.json" ]]; then cat "$dir/$2.json"; exit 0; fi
printf 'error: the server doesn'"'"'t have a resource type "%s"\\n' "\${2%%.*}" >&2; exit 1
`;

export function standInKubectl(answers: Answers, stderr: Record<string, string> = {}): StandInKubectl {
    const dir = mkdtempSync(join(tmpdir(), "qalita-dr-kubectl-"));
    for (const [resource, list] of Object.entries(answers)) writeFileSync(join(dir, `${resource}.json`), JSON.stringify(list));
    for (const [resource, text] of Object.entries(stderr)) writeFileSync(join(dir, `${resource}.stderr`), text);
    writeFileSync(join(dir, "kubectl"), SCRIPT(dir));
    chmodSync(join(dir, "kubectl"), 0o755);
    return {
        env: { PATH: dir },
        calls: () =>
            existsSync(join(dir, "calls"))
                ? readFileSync(join(dir, "calls"), "utf8")
                      .split("\n")
                      .filter((line) => line !== "")
                      .map((line) => line.split("\0").filter((arg) => arg !== ""))
                : [],
        remove: () => rmSync(dir, { recursive: true, force: true }),
    };
}
