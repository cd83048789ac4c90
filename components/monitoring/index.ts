/**
 * The freshness alerts of every protection path, as one PrometheusRule the Prometheus operator
 * loads (its Prometheus selects the rule by `labels`, e.g. kube-prometheus-stack's `release`).
 * The rules are built by rules-spec.ts; the SnapshotSchedule metrics they read need the
 * kube-state-metrics config of ksm-config.ts (docs/monitoring.md).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { drLabels } from "../../contracts/labels";
import { MONITORING_COMPONENT } from "../../contracts/monitoring";
import type { RuleGroup } from "./rules-spec";

export interface BackupMonitoringArgs {
    readonly namespace: string;
    readonly ruleName: string;
    /** What the Prometheus operator selects rules by (qalita-dr:monitoring.ruleLabels). */
    readonly ruleLabels: Readonly<Record<string, string>>;
    readonly groups: readonly RuleGroup[];
}

export class BackupMonitoring extends pulumi.ComponentResource {
    readonly ruleName: pulumi.Output<string>;

    constructor(name: string, args: BackupMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:monitoring:BackupMonitoring", name, {}, opts);
        const rule = new CustomResource(
            `${name}-rule`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                // The stack's labels last: the policy pack recognises the stack's rule by them.
                metadata: { name: args.ruleName, namespace: args.namespace, labels: { ...args.ruleLabels, ...drLabels({ component: MONITORING_COMPONENT }) } },
                spec: { groups: args.groups },
            },
            { parent: this },
        );
        this.ruleName = rule.metadata.name;
        this.registerOutputs({ ruleName: this.ruleName });
    }
}
