/**
 * pvc-snapshot-scheduled — every PVC holding a protected element's state (SeaweedFS volume and
 * filer, the worker store, PostgreSQL's data and dump PVCs, QALITA 2.11.6 names) is selected by an
 * enabled SnapshotSchedule of its namespace whose longest gap meets the element's criticality.
 * The policy cannot see the cluster's PVCs: it matches selectors against the labels the chart
 * gives them plus the ones the stack patches on, and trusts a schedule of the stack for a PVC set
 * whose selector the config overrides (qalita-dr:snapshots.pvcLabels).
 */
import { ELEMENT_CRITICALITY, MAX_INTERVAL_HOURS, PVC_SET_ELEMENT, PvcSetName, requiresBackup } from "../../contracts/elements";
import { chartClaims, KnownClaim, pvcSetClaims, selects } from "../../contracts/snapshot-claims";
import { isQalitaRelease } from "../lib/mechanisms";
import { RiskGap, RuleDefinition, stackUrn } from "../lib/resources";
import { UNKNOWN } from "../lib/plan-values";
import { field, patchedPvcLabels, ScheduleView, snapshotSchedules } from "../lib/snapshot-schedules";

const FIX: Record<string, string> = {
    s3: "set qalita-dr:elements.s3.enabled: true",
    agents: "set qalita-dr:elements.agents.enabled: true",
    "postgresql-data": "set qalita-dr:snapshots.postgresqlData.enabled: true",
    "postgresql-dump": "set qalita-dr:elements.postgresql.enabled: true",
};

export const pvcSnapshotScheduled: RuleDefinition = {
    name: "pvc-snapshot-scheduled",
    description:
        "Every PVC of a critical or moderate QALITA element is selected by an enabled SnapshotSchedule whose longest gap meets the element's criticality (critical 24 h, moderate 168 h).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediation:
        "Enable the element's snapshots (qalita-dr:elements.<element>.enabled, snapshots.postgresqlData.enabled) with a schedule within the criticality's limit, and make the schedule select the PVCs: qalita-dr:snapshots.pvcLabels.<set> when they carry other labels than the chart's.",
    acceptsRisk: true,
    check(resources) {
        const release = resources.find(isQalitaRelease);
        const name = release ? field(release.props, ["name"]) : "qalita";
        const namespace = release ? field(release.props, ["namespace"]) : "qalita";
        const where = release?.urn ?? stackUrn(resources);
        if (name === UNKNOWN || namespace === UNKNOWN) {
            return [
                {
                    urn: where,
                    message:
                        "the QALITA release's name or namespace is unknown during preview, so the PVCs its snapshots must select cannot be named; set them from config, not from other resources' outputs",
                },
            ];
        }
        const context = { release: typeof name === "string" ? name : "qalita", namespace: typeof namespace === "string" ? namespace : "qalita" };
        const values = release ? field(release.props, ["values"]) : undefined;
        const schedules = snapshotSchedules(resources);
        const patched = patchedPvcLabels(resources);
        return expectedClaims(context, values).flatMap((claim) => {
            const labels = { ...claim.labels, ...patched.get(`${context.namespace}/${claim.name}`) };
            const problem = coverageProblem(claim, labels, context, schedules);
            if (!problem) return [];
            const assumed = release ? "" : ` (no QALITA release in this stack: assumed release ${context.release} in namespace ${context.namespace})`;
            return [{ urn: problem.urn ?? where, message: `${problem.message}${assumed}`, ...(problem.risk ? { risk: problem.risk } : {}) }];
        });
    },
};

/** The chart's PVCs that exist with these release values (all of them when the values are unreadable). */
function expectedClaims(context: { release: string; namespace: string }, values: unknown): KnownClaim[] {
    const v = typeof values === "object" && values !== null ? (values as Record<string, any>) : undefined;
    const exists: Record<string, boolean> = v
        ? {
              s3: v.seaweedfs?.enabled !== false,
              agents: v.worker?.pvc?.enabled === true,
              "postgresql-data": v.postgresql?.enabled !== false && v.postgresql?.primary?.persistence?.enabled !== false,
              "postgresql-dump": v.postgresql?.enabled !== false && v.postgresql?.backup?.enabled === true,
          }
        : { s3: true, agents: true, "postgresql-data": true, "postgresql-dump": true };
    return chartClaims(context.release, context.namespace).filter(
        (claim) => !claim.optional && exists[claim.pvcSet] === true && requiresBackup(ELEMENT_CRITICALITY[PVC_SET_ELEMENT[claim.pvcSet]]),
    );
}

function coverageProblem(
    claim: KnownClaim,
    labels: Record<string, string>,
    context: { release: string; namespace: string },
    schedules: readonly ScheduleView[],
): { urn?: string; message: string; risk?: RiskGap } | undefined {
    const element = PVC_SET_ELEMENT[claim.pvcSet];
    const criticality = ELEMENT_CRITICALITY[element];
    const limit = MAX_INTERVAL_HOURS[criticality]!;
    const what = `PVC ${context.namespace}/${claim.name} (${element}, ${criticality})`;
    const selecting = schedules.filter((s) => s.namespace === context.namespace && s.disabled === false && covers(s, claim, labels, context));
    const cadences = selecting.flatMap((s) => (s.cadence !== UNKNOWN && "intervalHours" in s.cadence ? [{ schedule: s, hours: s.cadence.intervalHours }] : []));
    if (cadences.some((c) => c.hours <= limit)) return undefined;
    const unverifiable = schedules.filter((s) => s.unknown.length > 0).map((s) => `${s.name}: ${s.unknown.join(", ")}`);
    const unknownNote = unverifiable.length ? `; could not verify during preview (unknown ${unverifiable.join("; ")})` : "";
    if (cadences.length > 0) {
        const best = cadences.reduce((a, b) => (b.hours < a.hours ? b : a));
        return {
            urn: best.schedule.urn,
            // PostgreSQL's data snapshots have their own schedule, which no acceptRisk loosens.
            ...(claim.pvcSet === "postgresql-data" ? {} : { risk: { element, gap: "looser-schedule" as const } }),
            message: `${what} is snapshotted by ${best.schedule.name} with up to ${best.hours} h between snapshots; ${criticality} needs at most ${limit} h: shorten qalita-dr:${claim.pvcSet === "postgresql-data" ? "snapshots.postgresqlData" : `elements.${element}`}.schedule${unknownNote}`,
        };
    }
    const broken = selecting.flatMap((s) => (s.cadence !== UNKNOWN && "problem" in s.cadence ? [`${s.name}: ${s.cadence.problem}`] : []));
    const brokenNote = broken.length ? `; selecting schedules have no usable schedule (${broken.join("; ")})` : "";
    return {
        risk: { element, gap: "no-backup" },
        message: `${what} is selected by no enabled SnapshotSchedule in namespace ${context.namespace}; ${FIX[claim.pvcSet]} (or set qalita-dr:snapshots.pvcLabels.${claim.pvcSet} if its PVCs carry other labels)${brokenNote}${unknownNote}`,
    };
}

/** Selected by labels, or a stack schedule of that set with a user-overridden selector. */
function covers(schedule: ScheduleView, claim: KnownClaim, labels: Record<string, string>, context: { release: string; namespace: string }): boolean {
    if (schedule.selector === UNKNOWN) return false;
    if (selects(schedule.selector ?? {}, labels)) return true;
    if (schedule.pvcSet !== claim.pvcSet) return false;
    const chartDefault = pvcSetClaims(claim.pvcSet as PvcSetName, context.release, context.namespace).selector;
    return JSON.stringify(schedule.selector ?? {}) !== JSON.stringify(chartDefault);
}
