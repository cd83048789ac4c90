/**
 * npm run plan -- [--stack NAME] [--json | --format table|plain|markdown] [--out DIR] [--config-dir DIR] [--live FILE]
 * The offline plan: runs the program on the Pulumi mock runtime with a stack's config, no cloud
 * and no credentials. Exit 1 on invalid config, listing every problem and printing no steps;
 * exit 2 on a misused command line.
 */
import { resolve } from "node:path";
import { ConfigError } from "../config/problems";
import { CliIo, defineCli, EXIT_USAGE, parseFlags, runAsProcess, UsageError } from "./cli";
import { PostureRow } from "../components/posture";
import { resolveStack } from "../config/from-pulumi";
import { costRows } from "../config/cost-estimate";
import { alertTable, costTable, postureTable, resourceCountTable, warningList } from "./plan/render-table";
import { KSM_VALUES_FILE, NOT_WRITTEN_FILE, OutDirError, prepareOutDir, writeManifests } from "./plan/render-yaml";
import { adoptionSteps } from "./plan/adoption";
import { loadLiveObjects } from "./plan/live-objects";
import { runProgram } from "./plan/run-program";
import { loadStackConfig, StackConfigError } from "./plan/stack-config";
import { styleFromFlag } from "./plan/table-format";
import { BLINDED } from "../contracts/preview";

const PROJECT_DIR = resolve(__dirname, "..");

export const PLAN_USAGE = `usage: npm run plan -- [options]

The offline plan of a stack: what pulumi up would create, its DR posture, alerts and cost.
No cloud, no cluster, no credentials.

  --stack NAME        the stack (Pulumi.NAME.yaml); default dev
  --config-dir DIR    where Pulumi.NAME.yaml lives; default the project directory
  --json              the plan as pulumi preview --json shapes it (for npm run policy)
  --format FORMAT     table (default on a terminal), plain (default when piped), markdown
  --out DIR           also write the Kubernetes objects and the release values as YAML into DIR
  --live FILE         answer cluster reads from kubectl get -o yaml output (adoption)
  -h, --help          this help

Exit status: 0 planned, 1 invalid configuration, 2 misuse.
`;

const FLAGS = {
    stack: { type: "string", default: "dev" },
    json: { type: "boolean", default: false },
    format: { type: "string" },
    out: { type: "string" },
    // Where Pulumi.<stack>.yaml lives, like Pulumi.yaml's stackConfigDir.
    "config-dir": { type: "string" },
    // Objects the program reads from the cluster, as `kubectl get -o yaml` printed them.
    live: { type: "string" },
} as const;

async function plan(argv: string[], io: CliIo): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS);
    if (flags.json && flags.format) throw new UsageError("--json and --format: choose one");
    const style = styleFromFlag(flags.format, io.columns);
    const stack = flags.stack;
    const config = loadStackConfig(PROJECT_DIR, stack, flags["config-dir"] ? resolve(flags["config-dir"]) : PROJECT_DIR);
    // Validate before the program loads, so invalid config prints problems and no steps.
    const spec = resolveStack(config.values, stack, config.secretKeys);

    if (flags.out) prepareOutDir(resolve(flags.out));
    if (flags.live) loadLiveObjects(resolve(flags.live));
    const steps = await runProgram(resolve(PROJECT_DIR, "index.ts"), stack, config);
    const outputs = steps.find((step) => step.newState.type === "pulumi:pulumi:Stack")?.newState.outputs ?? {};
    if (flags.out) {
        const { written, notWritten } = writeManifests(steps, resolve(flags.out), outputs.releaseValuesYaml as string | undefined, {
            [KSM_VALUES_FILE]: outputs.kubeStateMetricsValuesYaml as string | null | undefined,
        });
        io.stderr(
            `wrote ${written.length} files to ${flags.out}${notWritten.length ? `; ${notWritten.length} objects not written (secrets, or values known only after pulumi up): see ${NOT_WRITTEN_FILE}` : ""}\n`,
        );
    }
    if (flags.json) {
        const publicConfig = Object.fromEntries(Object.entries(config.values).map(([key, value]) => [key, config.secretKeys.includes(key) ? BLINDED : value]));
        io.stdout(`${JSON.stringify({ config: publicConfig, steps, changeSummary: { create: steps.length } }, null, 2)}\n`);
        return 0;
    }
    const posture = outputs.drPosture as PostureRow[];
    const heading = (text: string) => (style.format === "markdown" ? `### ${text}\n\n` : `${text}\n`);
    if (spec.adopt) io.stdout(`${adoptionSteps(spec, stack)}\n\n`);
    io.stdout(`${heading(`DR posture of stack "${stack}"`)}${postureTable(posture, style)}\n\n`);
    const alerts = alertTable(posture, style);
    io.stdout(
        alerts
            ? `${heading(`Freshness alerts (PrometheusRule ${outputs.freshnessAlertRule}; docs/monitoring.md)`)}${alerts}\n\n`
            : "Freshness alerts: none (qalita-dr:monitoring.enabled: true deploys them; docs/monitoring.md)\n\n",
    );
    const warnings = (outputs.drWarnings ?? []) as { element?: string; message: string }[];
    if (warnings.length > 0) io.stdout(`${heading("DR gaps the stack cannot close by itself")}${warningList(warnings)}\n\n`);
    io.stdout(`${heading("Estimated cold-storage cost (USD per month)")}${costTable(costRows(spec), style)}\n\n`);
    io.stdout(`${heading("Resources")}${resourceCountTable(steps, style)}\n`);
    return 0;
}

/** `npm run plan`: config and `--out` mistakes are the user's to fix (1 and 2), anything else a bug. */
export const planCli = defineCli(PLAN_USAGE, async (argv, io) => {
    try {
        return await plan(argv, io);
    } catch (error) {
        if (error instanceof ConfigError || error instanceof StackConfigError) {
            io.stderr(`${error.message}\n`);
            return 1;
        }
        if (error instanceof OutDirError) {
            io.stderr(`${error.message}\n`);
            return EXIT_USAGE;
        }
        throw error;
    }
});

if (require.main === module) runAsProcess(planCli);
