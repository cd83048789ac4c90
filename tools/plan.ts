/**
 * npm run plan -- [--stack NAME] [--json] [--out DIR] [--config-dir DIR] [--live FILE]
 * The offline plan: runs the program on the Pulumi mock runtime with a stack's config, no cloud
 * and no credentials. Exit 1 on invalid config, listing every problem and printing no steps.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/problems";
import { exitAfterFlush } from "./exit";
import { PostureRow } from "../components/posture";
import { resolveStack } from "../config/from-pulumi";
import { costRows } from "../config/cost-estimate";
import { alertTable, costTable, postureTable, resourceCountTable, warningList } from "./plan/render-table";
import { KSM_VALUES_FILE, NOT_WRITTEN_FILE, OutDirError, prepareOutDir, writeManifests } from "./plan/render-yaml";
import { adoptionSteps } from "./plan/adoption";
import { loadLiveObjects } from "./plan/live-objects";
import { runProgram } from "./plan/run-program";
import { loadStackConfig, StackConfigError } from "./plan/stack-config";
import { BLINDED } from "../contracts/preview";

const PROJECT_DIR = resolve(__dirname, "..");

async function main(): Promise<number> {
    const { values: flags } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            json: { type: "boolean", default: false },
            out: { type: "string" },
            // Where Pulumi.<stack>.yaml lives, like Pulumi.yaml's stackConfigDir.
            "config-dir": { type: "string" },
            // Objects the program reads from the cluster, as `kubectl get -o yaml` printed them.
            live: { type: "string" },
        },
    });
    const stack = flags.stack!;
    const config = loadStackConfig(PROJECT_DIR, stack, flags["config-dir"] ? resolve(flags["config-dir"]) : PROJECT_DIR);
    // Validate before the program loads, so invalid config prints problems and no steps.
    const spec = resolveStack(config.values, stack);

    if (flags.out) prepareOutDir(resolve(flags.out));
    if (flags.live) loadLiveObjects(resolve(flags.live));
    const steps = await runProgram(resolve(PROJECT_DIR, "index.ts"), stack, config);
    const outputs = steps.find((step) => step.newState.type === "pulumi:pulumi:Stack")?.newState.outputs ?? {};
    if (flags.out) {
        const { written, notWritten } = writeManifests(steps, resolve(flags.out), outputs.releaseValuesYaml as string | undefined, {
            [KSM_VALUES_FILE]: outputs.kubeStateMetricsValuesYaml as string | null | undefined,
        });
        process.stderr.write(
            `wrote ${written.length} files to ${flags.out}${notWritten.length ? `; ${notWritten.length} objects not written (secrets, or values known only after pulumi up): see ${NOT_WRITTEN_FILE}` : ""}\n`,
        );
    }
    if (flags.json) {
        const publicConfig = Object.fromEntries(Object.entries(config.values).map(([key, value]) => [key, config.secretKeys.includes(key) ? BLINDED : value]));
        process.stdout.write(`${JSON.stringify({ config: publicConfig, steps, changeSummary: { create: steps.length } }, null, 2)}\n`);
    } else {
        if (spec.adopt) process.stdout.write(`${adoptionSteps(spec, stack)}\n\n`);
        process.stdout.write(`DR posture of stack "${stack}"\n${postureTable(outputs.drPosture as PostureRow[])}\n`);
        const alerts = alertTable(outputs.drPosture as PostureRow[]);
        process.stdout.write(
            alerts
                ? `Freshness alerts (PrometheusRule ${outputs.freshnessAlertRule}; docs/monitoring.md)\n${alerts}\n`
                : "Freshness alerts: none (qalita-dr:monitoring.enabled: true deploys them; docs/monitoring.md)\n",
        );
        const warnings = (outputs.drWarnings ?? []) as { element?: string; message: string }[];
        if (warnings.length > 0) process.stdout.write(`DR gaps the stack cannot close by itself:\n${warningList(warnings)}\n`);
        process.stdout.write("\n");
        process.stdout.write(`Estimated cold-storage cost (USD per month)\n${costTable(costRows(spec))}\n\n`);
        process.stdout.write(`Resources\n${resourceCountTable(steps)}\n`);
    }
    return 0;
}

main().then(exitAfterFlush, (error) => {
    if (error instanceof ConfigError || error instanceof StackConfigError || error instanceof OutDirError) {
        process.stderr.write(`${error.message}\n`);
        exitAfterFlush(1);
        return;
    }
    process.stderr.write(`${error?.stack ?? error}\n`);
    exitAfterFlush(2);
});
