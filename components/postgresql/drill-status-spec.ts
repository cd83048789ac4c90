/**
 * Pure: where the restore drill reports (docs/drills.md › Where it reports), and the least access
 * that takes — the status ConfigMap, created empty by the stack so that the Role can name it, and a
 * Role bound to the drill's ServiceAccount allowing exactly what drill-report.sh does.
 */
import { drillCronJobName, drillStatusConfigMapName } from "../../contracts/names";

export interface DrillStatusArgs {
    readonly release: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    /** The drill's ServiceAccount (components/jobs/identity.ts). */
    readonly serviceAccountName: string;
}

/** Name of the Role and its RoleBinding. */
export function drillReportRoleName(release: string): string {
    return `${drillCronJobName(release)}-report`;
}

export function drillReportRules(release: string) {
    return [
        // Its result, under its element's key (a merge patch); nothing else of any ConfigMap.
        { apiGroups: [""], resources: ["configmaps"], resourceNames: [drillStatusConfigMapName(release)], verbs: ["get", "patch", "update"] },
        // resourceNames cannot restrict create (the Event's name does not exist before): any Event
        // of this namespace — Events are records, they change nothing else.
        { apiGroups: [""], resources: ["events"], verbs: ["create"] },
        // The CronJob's uid, which the Event must carry for `kubectl describe cronjob` to list it.
        { apiGroups: ["batch"], resources: ["cronjobs"], resourceNames: [drillCronJobName(release)], verbs: ["get"] },
    ];
}

export function drillStatusObjects(args: DrillStatusArgs) {
    const metadata = (name: string) => ({ name, namespace: args.namespace, labels: args.labels });
    const roleName = drillReportRoleName(args.release);
    return {
        // No data: the drill writes its key (`<element>`: the DRILL_RESULT JSON); the stack never does.
        configMap: { metadata: metadata(drillStatusConfigMapName(args.release)) },
        role: { metadata: metadata(roleName), rules: drillReportRules(args.release) },
        roleBinding: {
            metadata: metadata(roleName),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
            subjects: [{ kind: "ServiceAccount", name: args.serviceAccountName, namespace: args.namespace }],
        },
    };
}
