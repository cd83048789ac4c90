// The WAL stream's alerts (components/postgresql/pitr/alerts.ts) against the real promtool: the
// group passes `promtool check rules`, and `promtool test rules` shows each alert firing in its
// failure — the receiver's Deployment without a pod, the slot idle, WAL piling up towards
// max_slot_wal_keep_size, the slot lost, its metric gone — and none while the stream is healthy.
import { strict as assert } from "node:assert";
import { pitrRuleGroup } from "../../components/postgresql/pitr/alerts";
import { PITR_SLOT, PITR_SLOT_METRIC, pitrReceiverName } from "../../contracts/pitr";
import { promtool } from "../support/promtool";

const NAMESPACE = "qalita";
const RELEASE = "qalita";
const LIMIT_BYTES = 2 * 2 ** 30;
const group = pitrRuleGroup({ namespace: NAMESPACE, release: RELEASE, maxSlotWalKeepSize: "2GB", runbookBaseUrl: "docs/" });
const byName = new Map(group.rules.map((rule) => [rule.alert, rule]));

type Series = Record<string, number>;

/** The healthy stream: the receiver's pod available, the slot active, little WAL retained, nothing lost. */
function healthy(): Series {
    const deployment = `namespace="${NAMESPACE}",deployment="${pitrReceiverName(RELEASE)}"`;
    const slot = `slot_name="${PITR_SLOT}"`;
    return {
        [`kube_deployment_spec_replicas{${deployment}}`]: 1,
        [`kube_deployment_status_replicas_available{${deployment}}`]: 1,
        [`${PITR_SLOT_METRIC}_active{${slot}}`]: 1,
        [`${PITR_SLOT_METRIC}_retained_bytes{${slot}}`]: 16 * 2 ** 20,
        [`${PITR_SLOT_METRIC}_lost{${slot}}`]: 0,
    };
}

const withValue = (series: Series, metric: string, value: number | undefined): Series =>
    Object.fromEntries(
        Object.entries({
            ...series,
            ...Object.fromEntries(
                Object.keys(series)
                    .filter((key) => key.startsWith(metric))
                    .map((key) => [key, value]),
            ),
        }).filter(([, v]) => v !== undefined),
    ) as Series;

/** One failure: its series, the alert expected, and when (minutes) it must be silent and then firing. */
const FAILURES: { alert: string; series: Series; silentAt: number; firingAt: number }[] = [
    { alert: "QalitaDrPitrReceiverDown", series: withValue(healthy(), "kube_deployment_status_replicas_available", 0), silentAt: 4, firingAt: 6 },
    { alert: "QalitaDrPitrSlotInactive", series: withValue(healthy(), `${PITR_SLOT_METRIC}_active`, 0), silentAt: 9, firingAt: 11 },
    { alert: "QalitaDrPitrSlotLag", series: withValue(healthy(), `${PITR_SLOT_METRIC}_retained_bytes`, LIMIT_BYTES / 2 + 1), silentAt: 9, firingAt: 11 },
    { alert: "QalitaDrPitrSlotLost", series: withValue(healthy(), `${PITR_SLOT_METRIC}_lost`, 1), silentAt: -1, firingAt: 1 },
    { alert: "QalitaDrPitrSlotMetricMissing", series: withValue(healthy(), `${PITR_SLOT_METRIC}_active`, undefined), silentAt: 29, firingAt: 31 },
];

function testGroup(name: string, series: Series, checks: { at: number; alert: string; fires: boolean }[]) {
    const samples = Math.max(...checks.map((check) => check.at)) + 1;
    return {
        name,
        interval: "1m",
        input_series: Object.entries(series).map(([key, value]) => ({ series: key, values: `${value}+0x${samples}` })),
        alert_rule_test: checks.map(({ at, alert, fires }) => {
            const rule = byName.get(alert)!;
            return {
                eval_time: `${at}m`,
                alertname: alert,
                exp_alerts: fires ? [{ exp_labels: expectedLabels(alert), exp_annotations: rule.annotations }] : [],
            };
        }),
    };
}

/** An alert's labels: the rule's, plus the slot's name, which `max by (slot_name)` keeps and `absent()` takes from its matcher. */
function expectedLabels(alert: string): Record<string, string> {
    const rule = byName.get(alert)!;
    return { ...rule.labels, ...(rule.expr.includes(`slot_name="${PITR_SLOT}"`) ? { slot_name: PITR_SLOT } : {}) };
}

describe("PITR alerts, with promtool", () => {
    it("promtool check rules accepts the group", async () => {
        const result = await promtool(["check", "rules", "rules.yaml"], { "rules.yaml": { groups: [group] } });
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, new RegExp(`SUCCESS: ${group.rules.length} rules found`));
    });

    it("each alert fires in its failure after its `for:`, and none while the stream is healthy (promtool test rules)", async () => {
        assert.deepEqual(FAILURES.map((failure) => failure.alert).sort(), [...byName.keys()].sort(), "every alert has its failure");
        const tests = [
            testGroup(
                "healthy",
                healthy(),
                [...byName.keys()].map((alert) => ({ at: 60, alert, fires: false })),
            ),
            ...FAILURES.map(({ alert, series, silentAt, firingAt }) =>
                testGroup(alert, series, [...(silentAt >= 0 ? [{ at: silentAt, alert, fires: false }] : []), { at: firingAt, alert, fires: true }]),
            ),
        ];
        const result = await promtool(["test", "rules", "tests.yaml"], {
            "rules.yaml": { groups: [group] },
            "tests.yaml": { rule_files: ["rules.yaml"], evaluation_interval: "1m", tests },
        });
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /SUCCESS/);
    });
});
