// The freshness alerts, pure: qalita-dr:monitoring resolved (config/monitoring/), each path's
// threshold from its own schedule and criticality (components/monitoring/paths.ts), the alerts'
// names, labels and runbook anchors (rules-spec.ts), the posture that lists them, and the
// kube-state-metrics config the snapshot alerts read (ksm-config.ts).
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { kubePrometheusStackValues, kubePrometheusStackValuesYaml, snapshotScheduleMetricsConfig } from "../../components/monitoring/ksm-config";
import { budgetSeconds, dumpBudgetSeconds } from "../../components/monitoring/paths";
import { buildPosture } from "../../components/posture";
import { ConfigError } from "../../config/problems";
import { ALERT_LABELS, SIGNALS, SNAPSHOT_DISABLED_METRIC, SNAPSHOT_LAST_TIME_METRIC } from "../../contracts/monitoring";
import { resolveDrSpec } from "../../config/resolve";
import { BLINDED } from "../../contracts/preview";
import { resolveWithWorker, TEST_CONTEXT, WITH_WORKER } from "../support/config";
import { alertsOf, EVERY_PATH, resolveMonitored, schedulesOf } from "../support/monitoring";
import { PROJECT_DIR } from "../support/plan-cli";

const problemsOf = (raw: Record<string, unknown>) => {
    try {
        resolveWithWorker(raw);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
};
const hoursOf = (spec = resolveMonitored()) => {
    const byPath = new Map(alertsOf(spec).map((alert) => [alert.path.id, budgetSeconds(alert.path) / 3600]));
    return Object.fromEntries(byPath);
};

describe("qalita-dr:monitoring (config/monitoring/)", () => {
    it("is off by default; on, its rule goes to the release's namespace, selected by kube-prometheus-stack's release label", () => {
        assert.equal(resolveWithWorker({}).monitoring.enabled, false);
        const spec = resolveWithWorker({ namespace: "apps", monitoring: { enabled: true } }).monitoring;
        assert.deepEqual(spec, {
            enabled: true,
            namespace: "apps",
            ruleLabels: { release: "kube-prometheus-stack" },
            graceMinutes: { critical: 60, moderate: 180, low: 720 },
            runbookBaseUrl: "docs/",
            heartbeat: false,
        });
    });

    describe("heartbeatUrl, the dead-man's switch", () => {
        const SECRET = ["qalita-dr:monitoring"];
        const resolveHeartbeat = (heartbeatUrl: unknown, secretKeys: string[] = SECRET) => {
            try {
                return { spec: resolveDrSpec({ ...WITH_WORKER, monitoring: { heartbeatUrl } }, { ...TEST_CONTEXT, secretKeys }), problems: [] };
            } catch (error) {
                if (error instanceof ConfigError) return { spec: undefined, problems: error.problems };
                throw error;
            }
        };

        it("set as a secret, is on; only that it is on reaches the spec, never the URL", () => {
            for (const url of ["https://hc-ping.com/0f9d4e6a-2b1c-4f3e-9a8b-7c6d5e4f3a2b", "https://hc.example.com/ping/abc_KEY-1/qalita-dr-prod/"]) {
                const { spec, problems } = resolveHeartbeat(url);
                assert.deepEqual(problems, [], url);
                assert.equal(spec!.monitoring.heartbeat, true);
                assert.ok(!JSON.stringify(spec).includes("hc-ping.com") && !JSON.stringify(spec).includes("abc_KEY-1"), "the URL stays out of the DrSpec");
            }
            // The offline plan cannot decrypt a secret: its placeholder is accepted as it is.
            assert.deepEqual(resolveHeartbeat(BLINDED).problems, []);
        });

        it("set in plain text, is refused: it is a credential, set it with --secret", () => {
            const { problems } = resolveHeartbeat("https://hc-ping.com/0f9d4e6a-2b1c-4f3e-9a8b-7c6d5e4f3a2b", []);
            assert.deepEqual(
                problems.map((problem) => problem.key),
                ["qalita-dr:monitoring.heartbeatUrl"],
            );
            assert.match(
                problems[0].message,
                /credential .* plain text: run pulumi config rm --path monitoring\.heartbeatUrl, then pulumi config set --secret --path monitoring\.heartbeatUrl/,
            );
        });

        it("refuses what the jobs could not ping or would leak, saying what to write", () => {
            const cases: [unknown, RegExp][] = [
                ["http://hc-ping.com/0f9d4e6a", /write the https:\/\/ ping URL .* e\.g\. https:\/\/hc-ping\.com\/<uuid>/],
                ["https://hc-ping.com/0f9d4e6a?rid=1", /without query or fragment/],
                ["hc-ping.com/0f9d4e6a", /write the https:\/\/ ping URL/],
                ["https://hc-ping.com/", /write the https:\/\/ ping URL/],
                ["https://hc-ping.com/0f9d4e6a/fail", /without \/fail: the jobs add \/fail to it/],
                [42, /write the check's ping URL in quotes/],
            ];
            for (const [url, message] of cases) {
                const { problems } = resolveHeartbeat(url);
                assert.deepEqual(
                    problems.map((problem) => problem.key),
                    ["qalita-dr:monitoring.heartbeatUrl"],
                    String(url),
                );
                assert.match(problems[0].message, message, String(url));
                assert.match(problems[0].message, /pulumi config set --secret/, "and how to set it");
            }
        });

        it("the dump's freshness budget reaches the offsite copy, which relays the dump's outcome: the stale alert's", () => {
            const spec = resolveWithWorker({});
            assert.equal(dumpBudgetSeconds(spec), 26 * 3600);
            assert.equal(
                dumpBudgetSeconds(resolveWithWorker({ elements: { postgresql: { enabled: false, acceptRisk: true, riskReason: "no database here" } } })),
                undefined,
            );
        });
    });

    it("takes a namespace, the rule's labels, a grace per criticality and the runbooks' URL", () => {
        const spec = resolveWithWorker({
            monitoring: {
                enabled: true,
                namespace: "monitoring",
                ruleLabels: { prometheus: "main" },
                grace: { critical: "90m", low: "1d" },
                runbookBaseUrl: "https://git.example.com/dr/docs/",
            },
        }).monitoring;
        assert.equal(spec.namespace, "monitoring");
        assert.deepEqual(spec.ruleLabels, { prometheus: "main" });
        assert.deepEqual(spec.graceMinutes, { critical: 90, moderate: 180, low: 1440 });
        assert.equal(spec.runbookBaseUrl, "https://git.example.com/dr/docs/");
    });

    it("names the key and what to write for every mistake, in one run", () => {
        const problems = problemsOf({
            monitoring: {
                enabled: "yes",
                namespace: "Monitoring",
                grace: { critical: "1 hour", weekly: "2h" },
                ruleLabels: { "app.kubernetes.io/part-of": "mine" },
                runbookBaseURL: "https://x/",
            },
        });
        const byKey = Object.fromEntries(problems.map((problem) => [problem.key, problem.message]));
        assert.match(byKey["qalita-dr:monitoring.enabled"], /write true or false/);
        assert.match(byKey["qalita-dr:monitoring.namespace"], /lowercase DNS label, e\.g\. monitoring/);
        assert.match(byKey["qalita-dr:monitoring.grace.critical"], /e\.g\. "90m", "2h" or "1d"/);
        assert.match(byKey["qalita-dr:monitoring.grace.weekly"], /unknown key/);
        assert.match(byKey["qalita-dr:monitoring.runbookBaseURL"], /did you mean "runbookBaseUrl"/);
        const own = problemsOf({ monitoring: { enabled: true, ruleLabels: { "app.kubernetes.io/part-of": "mine" } } });
        assert.deepEqual(
            own.map((problem) => problem.key),
            ["qalita-dr:monitoring.ruleLabels.app.kubernetes.io/part-of"],
        );
        assert.match(own[0].message, /set by the stack .*select the rule by another label/);
    });
});

describe("freshness thresholds (components/monitoring/paths.ts)", () => {
    it("come from each path's own schedule plus its criticality's grace, never one constant", () => {
        assert.deepEqual(hoursOf(), {
            // 24 h between dumps (01:00 UTC for 02:00 Paris) + 60 min for a run + 1 h
            "postgresql-dump": 26,
            // an hourly poll + 60 min to upload a dump (config/dump-timing.ts) + 1 h
            "postgresql-offsite": 3,
            "s3-offsite": 168 + 3,
            "agents-offsite": 168 + 3,
            "snapshot-s3": 168 + 3,
            "snapshot-agents": 168 + 3,
            "snapshot-postgresql-data": 1 + 1,
            "snapshot-postgresql-dump": 24 + 1,
            // monthly: 31 days at most between runs, + 12 h for a low element
            "snapshot-redis": 744 + 12,
            // the drill, weekly
            "postgresql-drill": 168 + 1,
        });
    });

    it("follow the config: a longer dump, a looser grace, a tighter schedule", () => {
        const hours = hoursOf(
            resolveMonitored({
                ...EVERY_PATH,
                monitoring: { enabled: true, grace: { critical: "30m", moderate: "6h" } },
                elements: { ...EVERY_PATH.elements, postgresql: { dump: { expectedRunMinutes: 180 } }, s3: { schedule: "0 3 * * *" } },
            }),
        );
        assert.equal(hours["postgresql-dump"], 24 + 3 + 0.5);
        assert.equal(hours["postgresql-offsite"], 1 + 3 + 0.5);
        assert.equal(hours["s3-offsite"], 24 + 6);
        assert.equal(hours["agents-offsite"], 168 + 6);
    });

    it("leave out what the stack does not deploy: an element off, the drill off, no result without a Pushgateway", () => {
        const spec = resolveMonitored({ monitoring: { enabled: true }, elements: { s3: { enabled: false } }, drills: { postgresql: { enabled: false } } });
        const ids = [...new Set(alertsOf(spec).map((alert) => alert.path.id))];
        assert.ok(!ids.some((id) => /s3|drill/.test(id)), ids.join(", "));
        const noPush = alertsOf(resolveMonitored({ monitoring: { enabled: true } }));
        assert.ok(noPush.some((alert) => alert.path.id === "postgresql-drill"));
        assert.ok(!noPush.some((alert) => alert.signal.startsWith("result-")));
    });
});

describe("freshness alerts (components/monitoring/rules-spec.ts)", () => {
    const alerts = alertsOf(resolveMonitored());

    it("are named after their path and signal, once each", () => {
        const names = alerts.map((alert) => alert.rule.alert);
        assert.equal(new Set(names).size, names.length);
        assert.ok(names.includes("QalitaDrPostgresqlDumpStale"));
        assert.ok(names.includes("QalitaDrSnapshotPostgresqlDataMissing"));
        assert.ok(names.includes("QalitaDrPostgresqlDrillResultFailed"));
    });

    it("carry the element, its criticality and the severity it maps to, and name the object they watch", () => {
        const severity = { critical: "critical", moderate: "warning", low: "info" };
        for (const { path, rule, signal } of alerts) {
            assert.equal(rule.labels[ALERT_LABELS.element], path.element);
            assert.equal(rule.labels[ALERT_LABELS.criticality], path.criticality);
            assert.equal(rule.labels[ALERT_LABELS.severity], severity[path.criticality]);
            assert.equal(rule.labels[ALERT_LABELS.signal], signal);
            if (signal.startsWith("result-")) continue;
            assert.ok(rule.expr.includes(`"${path.watches.name}"`), rule.expr);
            assert.ok(rule.annotations.description.includes(`${path.watches.namespace}/${path.watches.name}`), rule.annotations.description);
        }
        assert.deepEqual([...new Set(alerts.filter((a) => a.path.element === "redis").map((a) => a.rule.labels.severity))], ["info"]);
    });

    it("say the threshold and where it comes from", () => {
        const stale = alerts.find((alert) => alert.rule.alert === "QalitaDrPostgresqlDumpStale")!;
        assert.equal(stale.rule.annotations.summary, "PostgreSQL dump: no success for 26 h");
        assert.equal(
            stale.rule.annotations.description,
            "CronJob qalita/qalita-postgresql-pgdumpall has not succeeded for more than 26 h (24 h between dumps + 60 min for a run, plus 1 h of grace for a critical element).",
        );
        assert.match(stale.rule.expr, /> 93600$/);
    });

    it("link a runbook section of docs/monitoring.md that exists, one per signal", () => {
        const headings = readFileSync(resolve(PROJECT_DIR, "docs/monitoring.md"), "utf8")
            .split("\n")
            .filter((line) => line.startsWith("### "))
            .map((line) => line.slice(4).trim());
        assert.deepEqual(headings.filter((heading) => (SIGNALS as readonly string[]).includes(heading)).sort(), [...SIGNALS].sort());
        for (const { rule, signal } of alerts) assert.equal(rule.annotations.runbook_url, `docs/monitoring.md#${signal}`);
    });
});

describe("the posture with monitoring on (components/posture.ts)", () => {
    it("shows each protection path's alerts and when its stale alert fires; nothing with monitoring off", () => {
        const spec = resolveMonitored();
        const paths = buildPosture(spec, schedulesOf(spec)).rows.flatMap((row) => row.paths);
        assert.ok(paths.length >= 9);
        for (const path of paths) {
            assert.ok(path.monitoring, `${path.mechanism} ${path.destination}`);
            assert.ok(path.monitoring.alerts.some((name) => name.endsWith("Stale")));
        }
        const dump = paths.find((path) => path.mechanism === "pg-dump")!;
        assert.deepEqual(dump.monitoring, {
            watches: "CronJob qalita/qalita-postgresql-pgdumpall",
            staleAfterHours: 26,
            alerts: [
                "QalitaDrPostgresqlDumpStale",
                "QalitaDrPostgresqlDumpFailed",
                "QalitaDrPostgresqlDumpSuspended",
                "QalitaDrPostgresqlDumpNeverSucceeded",
                "QalitaDrPostgresqlDumpMissing",
            ],
        });
        const off = resolveWithWorker({});
        assert.ok(buildPosture(off, schedulesOf(off)).rows.every((row) => row.paths.every((path) => path.monitoring === undefined)));
    });
});

/**
 * kube-state-metrics' CustomResourceStateMetrics config, as pkg/customresourcestate/config.go and
 * config_metrics_types.go decode it (yaml/json tags of Metrics, Resource, Generator, Metric,
 * MetricGauge): the keys each level takes.
 */
const KSM_KEYS: Record<string, readonly string[]> = {
    root: ["kind", "spec"],
    spec: ["resources"],
    resource: ["groupVersionKind", "metricNamePrefix", "resourcePlural", "commonLabels", "labelsFromPath", "metrics", "errorLogV"],
    groupVersionKind: ["group", "version", "kind"],
    metric: ["name", "help", "each", "commonLabels", "labelsFromPath", "errorLogV"],
    each: ["type", "gauge", "stateSet", "info"],
    gauge: ["path", "labelsFromPath", "valueFrom", "valueType", "nilIsZero", "labelFromKey"],
};

describe("the kube-state-metrics config of the SnapshotSchedule alerts (components/monitoring/ksm-config.ts)", () => {
    const keysWithin = (value: object, level: string) =>
        assert.deepEqual(
            Object.keys(value).filter((key) => !KSM_KEYS[level].includes(key)),
            [],
            level,
        );

    it("uses only the keys kube-state-metrics decodes, and exports the gauges the alerts read, labelled like them", () => {
        const config = snapshotScheduleMetricsConfig() as any;
        keysWithin(config, "root");
        keysWithin(config.spec, "spec");
        const [resource] = config.spec.resources;
        keysWithin(resource, "resource");
        keysWithin(resource.groupVersionKind, "groupVersionKind");
        // The schedules the stack deploys: snapscheduler.backube/v1 SnapshotSchedule.
        assert.deepEqual(resource.groupVersionKind, { group: "snapscheduler.backube", version: "v1", kind: "SnapshotSchedule" });
        for (const metric of resource.metrics) {
            keysWithin(metric, "metric");
            keysWithin(metric.each, "each");
            keysWithin(metric.each.gauge, "gauge");
            assert.equal(metric.each.type, "Gauge");
        }
        // kube-state-metrics names a metric <metricNamePrefix>_<name>.
        assert.deepEqual(
            resource.metrics.map((metric: any) => `${resource.metricNamePrefix}_${metric.name}`),
            [SNAPSHOT_LAST_TIME_METRIC, SNAPSHOT_DISABLED_METRIC],
        );
        assert.deepEqual(resource.metrics[0].each.gauge.path, ["status", "lastSnapshotTime"]);
        assert.deepEqual(resource.labelsFromPath, { namespace: ["metadata", "namespace"], [ALERT_LABELS.snapshotSchedule]: ["metadata", "name"] });
    });

    it("reads status.lastSnapshotTime and spec.disabled, fields of snapscheduler's SnapshotSchedule CRD", () => {
        const crd = JSON.parse(readFileSync(resolve(PROJECT_DIR, "test/fixtures/upstream/crd/snapscheduler.backube_snapshotschedules.v1.json"), "utf8"));
        assert.equal(crd.schema.properties.status.properties.lastSnapshotTime.format, "date-time");
        assert.equal(crd.schema.properties.spec.properties.disabled.type, "boolean");
    });

    it("is rendered as kube-prometheus-stack values: the config under kube-state-metrics.customResourceState.config, with RBAC to watch the schedules", () => {
        const values = parse(kubePrometheusStackValuesYaml());
        const ksm = values["kube-state-metrics"];
        assert.deepEqual(values, kubePrometheusStackValues());
        assert.equal(ksm.customResourceState.enabled, true);
        assert.deepEqual(ksm.customResourceState.config, snapshotScheduleMetricsConfig());
        assert.ok(ksm.rbac.extraRules.some((rule: any) => rule.apiGroups.includes("snapscheduler.backube") && rule.resources.includes("snapshotschedules")));
    });
});
