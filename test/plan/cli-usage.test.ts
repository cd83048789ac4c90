// The command lines of npm run plan and npm run policy: usage for --help (exit 0), one line naming
// the flag and the usage for misuse (exit 2, never 1, which means "unsafe" or "invalid config"),
// tables for a terminal, a pipe and a pull-request comment, and config keys nothing reads.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLAN_USAGE } from "../../tools/plan";
import { POLICY_USAGE } from "../../tools/policy-check";
import { fitWidths, renderTable } from "../../tools/plan/table-format";
import { plan, planJson, policy, PROJECT_DIR, shellCommand, STACK_FIXTURES } from "../support/plan-cli";

describe("npm run plan and npm run policy: command lines", () => {
    it("print their usage for --help and exit 0", () => {
        for (const [run, usage] of [
            [plan, PLAN_USAGE],
            [policy, POLICY_USAGE],
        ] as const) {
            const help = run(["--help"]);
            assert.equal(help.status, 0, help.stderr);
            assert.equal(help.stdout, usage);
        }
        assert.match(PLAN_USAGE, /--format FORMAT/);
    });

    it("exit 2 on misuse with one line naming the flag, then the usage", () => {
        const cases: [ReturnType<typeof plan>, RegExp][] = [
            [plan(["--bogus"]), /^unknown flag --bogus\n\nusage: npm run plan/],
            [plan(["--stack"]), /^--stack needs a value\n\nusage: npm run plan/],
            [plan(["--json=yes"]), /^--json takes no value\n/],
            [plan(["--format", "html"]), /^--format html: write one of table, plain, markdown\n/],
            [plan(["--json", "--format", "markdown"]), /^--json and --format: choose one\n/],
            [plan(["--out", "README.md"]), /^--out \S+README\.md: not a directory; name a new or empty directory\n$/],
            [policy(["--bogus", "plan.json"]), /^unknown flag --bogus\n\nusage: npm run policy/],
            [policy([]), /^name the plan file \(or - for stdin\)\n\nusage: npm run policy/],
        ];
        for (const [result, message] of cases) {
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, message);
            assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
        }
    });

    it("prints plain columns when piped, and a Markdown posture for a pull-request comment", () => {
        const piped = plan(["--stack", "dev"]);
        assert.equal(piped.status, 0, piped.stderr);
        assert.doesNotMatch(piped.stdout, /[│┌─]/, "no box drawing in a pipe");
        assert.match(piped.stdout, /^postgresql\s+critical\s+pg_dump CronJob\s+/m, "one line per path, columns aligned");
        const markdown = plan(["--stack", "dev", "--format", "markdown"]);
        assert.equal(markdown.status, 0, markdown.stderr);
        assert.match(markdown.stdout, /^### DR posture of stack "dev"\n\n\| element \| criticality \| mechanism \|/m);
        assert.match(markdown.stdout, /^\|---\|---\|/m);
        assert.match(markdown.stdout, /^\| postgresql \| critical \| pg_dump CronJob \|/m);
    });

    it("fits a boxed table to the terminal's width", () => {
        const widths = [12, 13, 17, 26, 7, 24, 7, 38, 30];
        for (const width of [80, 100, 140]) {
            const fitted = fitWidths(widths, width);
            assert.ok(fitted.reduce((sum, column) => sum + column, 0) + widths.length + 1 <= width, `fits ${width}`);
            const text = renderTable(["element", "destination"], [["postgresql", "s3://qalita-dr-backups/postgresql/ (STANDARD → GLACIER)"]], [12, 60], {
                format: "table",
                width,
            });
            for (const line of text.split("\n")) assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
        }
        assert.deepEqual(fitWidths(widths, 400), widths, "a wide terminal keeps the natural widths");
    });

    it("warns about config keys in a namespace nothing reads, with the key meant", () => {
        const result = plan(["--stack", "foreign-keys", "--config-dir", STACK_FIXTURES]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(
            result.stderr,
            /config key "qalita:snapshots" is in namespace "qalita", which nothing in this stack reads; did you mean "qalita-dr:snapshots"\?/,
        );
        assert.match(result.stderr, /config key "kubernets:context" .* did you mean "kubernetes:context"\?/);
        assert.doesNotMatch(result.stderr, /"aws:region"/);
    });

    it("says to use --path for a dotted key", () => {
        const result = plan(["--stack", "dotted-key", "--config-dir", STACK_FIXTURES]);
        assert.equal(result.status, 1);
        assert.match(
            result.stderr,
            /qalita-dr:elements\.postgresql\.schedule: "elements\.postgresql\.schedule" is one key with dots in its name, not a path; set the nested value with pulumi config set --path 'elements\.postgresql\.schedule' VALUE/,
        );
    });

    it("as processes, the plan's JSON piped into the policy pack is the plan the suite reads", () => {
        // The suite runs the tools in its plan server; users run processes and pipes: same plan, same verdict.
        const file = join(mkdtempSync(join(tmpdir(), "qalita-dr-pipe-")), "plan.json");
        const pipeline = `${shellCommand("tools/plan.ts", ["--stack", "dev", "--json"])} | tee '${file}' | ${shellCommand("tools/policy-check.ts", ["-"])}`;
        const verdict = spawnSync("bash", ["-o", "pipefail", "-c", pipeline], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
        assert.match(verdict.stdout, /0 mandatory violation\(s\)/);
        assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), planJson("dev", PROJECT_DIR));
    });
});
