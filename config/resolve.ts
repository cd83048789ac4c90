/**
 * Raw stack config → DrSpec, or one ConfigError listing every problem. Pure: no Pulumi resource
 * can be registered before this returns, so invalid config never half-deploys.
 */
import { ELEMENTS, ElementName } from "../contracts/elements";
import type { Problem } from "../contracts/problem";
import { postgresqlImage } from "../contracts/qalita-chart";
import { resolveAgents } from "./agents/resolve";
import { resolveColdStorage } from "./cold-storage/resolve";
import { resolveDrills } from "./drills/resolve";
import { DEFAULT_EXPECTED_RUN_MINUTES, DUMP_SNAPSHOT_DELAY_MINUTES } from "./dump-timing";
import { resolveElement } from "./elements/resolve";
import { resolvePitr } from "./elements/pitr-resolve";
import { pitrSchema } from "./elements/pitr-schema";
import { elementSchema, RawElement } from "./elements/schema";
import { postgresqlRestoreSchema } from "./restore/schema";
import { z } from "zod";
import { resolveMonitoring } from "./monitoring/resolve";
import { ConfigError, configKey } from "./problems";
import { rawConfigSchema } from "./raw-schema";
import { releaseValuesProblems, workerEnabled } from "./release-values";
import { resolveRestore } from "./restore/resolve";
import { shapeProblems } from "./shape";
import { resolveSnapshots } from "./snapshots/resolve";
import { DrSpec, ElementSpec, PINNED_SECRETS } from "./spec";
import { shiftSchedule } from "./utc-schedule";

/** What the stack's config alone does not say. */
export interface StackContext {
    /** Stack name: the bucket is named `<bucketPrefix>-<stack>`. */
    readonly stack: string;
    /** `aws:region`: where the backup bucket lives (the AWS provider's own key). */
    readonly awsRegion: string | undefined;
    /** Fully qualified keys Pulumi holds as secrets (`pulumi config set --secret`); undefined: not known. */
    readonly secretKeys?: readonly string[];
}

/** @param raw the `qalita-dr:` config, keys without the namespace */
export function resolveDrSpec(raw: Record<string, unknown>, { stack, awsRegion, secretKeys }: StackContext): DrSpec {
    const parsed = rawConfigSchema.safeParse(raw);
    const problems = parsed.success ? [] : shapeProblems(rawConfigSchema, parsed.error.issues);
    const elements = {} as Record<ElementName, ElementSpec>;
    for (const element of ELEMENTS) {
        const resolved = resolveElement(element, wellShapedPart(raw, element, problems));
        elements[element] = resolved.spec;
        problems.push(...resolved.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    }
    const coldStorage = resolveColdStorage(rawConfigSchema.shape.coldStorage.safeParse(raw.coldStorage).data, elements, stack);
    problems.push(...coldStorage.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    if (!awsRegion)
        problems.push({ key: "aws:region", message: "the backup bucket's region is not set; run pulumi config set aws:region <region>, e.g. eu-west-3" });
    // Read on their own, so that a typo elsewhere does not turn into a spurious worker problem.
    const userValues = rawConfigSchema.shape.releaseValues.safeParse(raw.releaseValues).data ?? {};
    problems.push(...releaseValuesProblems(userValues));
    // Only their paths are checked here: the values are secrets, read as such by from-pulumi.ts.
    problems.push(...releaseValuesProblems(rawConfigSchema.shape.secretReleaseValues.safeParse(raw.secretReleaseValues).data ?? {}, "secretReleaseValues"));
    const manageRelease = rawConfigSchema.shape.manageRelease.safeParse(raw.manageRelease).data ?? true;
    if (elements.agents.enabled && manageRelease && !workerEnabled(userValues)) {
        problems.push({
            key: configKey(["elements", "agents", "enabled"]),
            message:
                "the agents' state lives on the worker PVC, which the chart only creates with the worker on; set qalita-dr:releaseValues.worker.enabled: true, or elements.agents.enabled: false if you run no worker",
        });
    }
    const agents = resolveAgents({
        agents: raw.agents,
        restore: (raw.restore as { agents?: unknown } | undefined)?.agents,
        secrets: raw.secrets,
        release: rawConfigSchema.shape.release.safeParse(raw.release).data ?? "qalita",
        element: elements.agents,
        userReleaseValues: userValues,
    });
    // Without the worker, its token is moot: the one problem to fix is the worker itself.
    const workerMissing = hasProblemAt(problems, configKey(["elements", "agents", "enabled"]));
    problems.push(
        ...agents.problems.filter(
            (problem) => !hasProblemAt(problems, problem.key) && !(workerMissing && problem.key === configKey(["agents", "tokenSecret"])),
        ),
    );
    const snapshots = resolveSnapshots(rawConfigSchema.shape.snapshots.safeParse(raw.snapshots).data, { elements });
    problems.push(...snapshots.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    const dumpSchedule = elements.postgresql.schedule;
    const dumpSnapshot = dumpSchedule ? shiftSchedule(dumpSchedule.utcCron, DUMP_SNAPSHOT_DELAY_MINUTES) : undefined;
    if (dumpSnapshot && !dumpSnapshot.ok) {
        problems.push({
            key: configKey(["elements", "postgresql", "schedule"]),
            message: `the dump PVC is snapshotted ${DUMP_SNAPSHOT_DELAY_MINUTES} min after the dump, but ${dumpSnapshot.message}; pick a time that is not within an hour of midnight UTC, or no day-of-month/month restriction`,
        });
    }
    const drills = resolveDrills(rawConfigSchema.shape.drills.safeParse(raw.drills).data, elements.postgresql);
    problems.push(...drills.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    const monitoring = resolveMonitoring(rawConfigSchema.shape.monitoring.safeParse(raw.monitoring).data, {
        namespace: rawConfigSchema.shape.namespace.safeParse(raw.namespace).data ?? "qalita",
        secretKeys,
    });
    problems.push(...monitoring.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    const pitr = resolvePitr({
        raw: wellShaped(pitrSchema, at(raw, ["elements", "postgresql", "pitr"]), ["elements", "postgresql", "pitr"], problems),
        postgresql: elements.postgresql,
        restore: wellShaped(postgresqlRestoreSchema, at(raw, ["restore", "postgresql"]), ["restore", "postgresql"], problems),
        userReleaseValues: userValues,
    });
    problems.push(...pitr.problems.filter((problem) => !hasProblemAt(problems, problem.key)));
    if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
    const config = parsed.data;
    return {
        namespace: config.namespace ?? "qalita",
        release: config.release ?? "qalita",
        chartVersion: config.chartVersion ?? "2.11.6",
        manageRelease,
        adopt: config.adopt ?? false,
        awsRegion: awsRegion!,
        userReleaseValues: userValues,
        postgresqlImage: postgresqlImage(userValues),
        coldStorage: coldStorage.spec,
        snapshots: snapshots.spec,
        adoptedSecrets: PINNED_SECRETS.filter((key) => config.secrets?.[key] !== undefined),
        agents: agents.spec,
        postgresqlDump: {
            keepDays: config.elements?.postgresql?.dump?.keepDays ?? 7,
            keepMin: config.elements?.postgresql?.dump?.keepMin ?? 3,
            jobs: config.elements?.postgresql?.dump?.jobs ?? 2,
            storageSize: config.elements?.postgresql?.dump?.storageSize ?? "8Gi",
            storageClass: config.elements?.postgresql?.dump?.storageClass,
            expectedRunMinutes: config.elements?.postgresql?.dump?.expectedRunMinutes ?? DEFAULT_EXPECTED_RUN_MINUTES,
            snapshotUtcCron: dumpSnapshot?.ok ? dumpSnapshot.cron : undefined,
        },
        postgresqlPitr: pitr.spec,
        restore: resolveRestore(config.restore),
        monitoring: monitoring.spec,
        drills: drills.spec,
        elements,
    };
}

/**
 * The element's config minus every key that already has a shape problem, so that a typo in one
 * key does not hide a broken cron in the next: all mistakes are reported in one run.
 */
function wellShapedPart(raw: Record<string, unknown>, element: ElementName, problems: Problem[]): RawElement {
    const elements = raw.elements as Record<string, unknown> | undefined;
    const value = typeof elements === "object" && elements !== null ? elements[element] : undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    const kept = Object.fromEntries(Object.entries(value).filter(([field]) => !hasProblemAt(problems, configKey(["elements", element, field]))));
    // The element-specific keys (postgresql.dump, .pitr) are shape-checked by the full schema above.
    const common = Object.fromEntries(Object.entries(kept).filter(([field]) => field !== "dump" && field !== "pitr"));
    const parsed = elementSchema.safeParse(common);
    return parsed.success ? parsed.data : {};
}

/** The value at `path` of the raw config, if any. */
function at(raw: Record<string, unknown>, path: readonly string[]): unknown {
    return path.reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), raw);
}

/** An object's keys that have no shape problem, parsed: a typo in one key leaves the others checked. */
function wellShaped<T extends z.ZodType>(schema: T, value: unknown, path: readonly string[], problems: Problem[]): z.infer<T> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const kept = Object.fromEntries(Object.entries(value).filter(([field]) => !hasProblemAt(problems, configKey([...path, field]))));
    return schema.safeParse(kept).data;
}

function hasProblemAt(problems: Problem[], key: string): boolean {
    return problems.some((problem) => problem.key === key || problem.key.startsWith(`${key}.`) || problem.key.startsWith(`${key}[`));
}
