/**
 * npm run status -- [--stack NAME] [--config-dir DIR] [--json] [--context NAME] [--kubeconfig FILE]
 * The live counterpart of `npm run plan`: the stack's config says which protection paths exist and
 * their budgets (tools/status/stack-paths.ts), kubectl says when each last succeeded
 * (tools/status/observe.ts), and each is judged as its freshness alert would judge it.
 */
import { resolve } from "node:path";
import { ConfigError } from "../config/problems";
import { CliIo, defineCli, EXIT_USAGE, parseFlags, runAsProcess, UsageError } from "./cli";
import { StackConfigError } from "./plan/stack-config";
import { styleFromFlag } from "./plan/table-format";
import { KubectlError } from "./status/kubectl";
import { observeCluster } from "./status/observe";
import { drillTable, pathTable, statusJson, summary } from "./status/render";
import { statusReport } from "./status/report";
import { stackPaths } from "./status/stack-paths";

const PROJECT_DIR = resolve(__dirname, "..");

export const STATUS_USAGE = `usage: npm run status -- [options]

The live DR status of a stack: how old each protection path's newest backup is against its budget
(the threshold of its freshness alert), and what the last restore drill measured. Needs kubectl and
a kubeconfig for the cluster; reads only (kubectl get).

  --stack NAME          the stack (Pulumi.NAME.yaml); default dev
  --config-dir DIR      where Pulumi.NAME.yaml lives; default the project directory
  --json                the status as JSON
  --format FORMAT       table (default on a terminal), plain (default when piped), markdown
  --context NAME        kubectl's context; default its current context
  --kubeconfig FILE     kubectl's kubeconfig; default KUBECONFIG or ~/.kube/config
  -h, --help            this help

Exit status: 0 every path within budget; 1 a path stale, failing, suspended, disabled, never
succeeded or missing; 2 misuse, an invalid stack config, or kubectl failing.
`;

const FLAGS = {
    stack: { type: "string", default: "dev" },
    "config-dir": { type: "string" },
    json: { type: "boolean", default: false },
    format: { type: "string" },
    context: { type: "string" },
    kubeconfig: { type: "string" },
} as const;

/** What status runs against: the environment kubectl gets (PATH, KUBECONFIG) and the moment ages are measured at. */
export interface StatusWorld {
    readonly env: NodeJS.ProcessEnv;
    readonly now: Date;
}

export function status(argv: string[], io: CliIo, world: StatusWorld): number {
    const { values: flags } = parseFlags(argv, FLAGS);
    if (flags.json && flags.format) throw new UsageError("--json and --format: choose one");
    const style = flags.json ? undefined : styleFromFlag(flags.format, io.columns);
    let stack;
    let observed;
    try {
        stack = stackPaths(PROJECT_DIR, flags.stack, flags["config-dir"] ? resolve(flags["config-dir"]) : PROJECT_DIR);
        observed = observeCluster({ env: world.env, context: flags.context, kubeconfig: flags.kubeconfig }, stack.paths, stack.drillStatus);
    } catch (error) {
        // Exit 1 says "a backup needs attention": a stack or a cluster status can't read is another answer.
        if (!(error instanceof ConfigError || error instanceof StackConfigError || error instanceof KubectlError)) throw error;
        io.stderr(`${error.message}\n`);
        return EXIT_USAGE;
    }
    const report = statusReport(stack, observed, world.now);
    if (flags.json) {
        io.stdout(`${JSON.stringify(statusJson(report), null, 2)}\n`);
    } else if (style) {
        io.stdout(`DR status of stack "${stack.stack}" at ${report.checkedAt.toISOString().replace(/\.\d+Z$/, "Z")}\n${pathTable(report, style)}\n\n`);
        if (report.drill) {
            const { namespace, name } = report.drill.configMap;
            io.stdout(`Last restore drill (ConfigMap ${namespace}/${name}; docs/drills.md)\n${drillTable(report.drill, style)}\n\n`);
        }
        io.stdout(`${summary(report)}\n`);
    }
    return report.healthy ? 0 : 1;
}

/** The command in a given world (the tests': a stand-in kubectl on PATH, a fixed now). */
export const statusCliIn = (world: () => StatusWorld) => defineCli(STATUS_USAGE, (argv, io) => status(argv, io, world()));

export const statusCli = statusCliIn(() => ({ env: process.env, now: new Date() }));

if (require.main === module) runAsProcess(statusCli);
