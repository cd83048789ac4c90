/**
 * `qalita-dr:coldStorage` resolved into the ColdStorageSpec the ColdStorage component is built
 * from. Lifecycle rules are derived here, in pure code, from each element's spec (its prefix and
 * retention) and validated before anything registers — the component deploys exactly these.
 */
import type { Problem } from "../../contracts/problem";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { CATALOG } from "../catalog";
import { LifecycleRule } from "../../contracts/s3-lifecycle/lifecycle-rule";
import { ValidateLifecycleOptions, validateLifecycleConfiguration } from "../../contracts/s3-lifecycle/lifecycle-validate";
import { configKey } from "../problems";
import type { BackedUpElement, ColdLayout, ColdStorageElementSpec, ColdStorageSpec, ElementSpec } from "../spec";
import { ColdStorageCriticality, deriveLifecycleRule, describeTiering, noncurrentActions } from "./lifecycle-derive";
import { US_EAST_1_PRICES } from "./prices";
import type { RawColdStorage } from "./schema";

export const DEFAULT_BUCKET_PREFIX = "qalita-dr";
/** Rough backup sizes (GB) for cost estimates until the stack config says better. */
export const DEFAULT_BACKUP_SIZE_GB: Readonly<Record<BackedUpElement, number>> = { postgresql: 1, s3: 20, agents: 0.1, redis: 0.5 };

/** The replica is named after the source bucket so an operator finds one from the other. */
export function replicaBucketName(bucketName: string): string {
    return `${bucketName}-replica`;
}

export function resolveColdStorage(
    raw: RawColdStorage | undefined,
    elements: Readonly<Record<ElementName, ElementSpec>>,
    stack: string,
): { spec: ColdStorageSpec; problems: Problem[] } {
    const config = raw ?? {};
    const bucketName = `${config.bucketPrefix ?? DEFAULT_BUCKET_PREFIX}-${stack}`;
    const problems = bucketNameProblems(bucketName, config.replicaRegion !== undefined);
    const sizes = { ...DEFAULT_BACKUP_SIZE_GB, ...config.expectedBackupSizeGb };
    const coldElements = ELEMENTS.filter((e): e is BackedUpElement => e in DEFAULT_BACKUP_SIZE_GB).flatMap((element): ColdStorageElementSpec[] => {
        const spec = elements[element];
        if (!spec.enabled || spec.retentionDays === undefined || spec.coldStoragePrefix === undefined || spec.criticality === "none") return [];
        const layout = CATALOG[element].coldLayout ?? "per-backup";
        const rule = elementRule(element, spec.coldStoragePrefix, spec.criticality, spec.retentionDays, layout, spec.tiering);
        return [{ element, prefix: spec.coldStoragePrefix, layout, rule, tieringWords: describeTiering(rule), expectedBackupSizeGb: sizes[element] }];
    });
    const spec: ColdStorageSpec = {
        bucketName,
        objectLock: config.objectLock,
        replicaRegion: config.replicaRegion,
        transitionDefaultMinimumObjectSize: config.transitionDefaultMinimumObjectSize ?? "all_storage_classes_128K",
        oidc: config.oidc && { providerArn: config.oidc.providerArn, issuer: issuerHostPath(config.oidc.issuerUrl) },
        elements: coldElements,
        prices: { ...US_EAST_1_PRICES, ...config.prices },
        repositoryPrefixes: config.repositoryPrefixes ?? [],
    };
    problems.push(...lifecycleProblems(spec), ...oidcProblems(spec.oidc));
    return { spec, problems };
}

/** The user's tiering exactly as written (derive trims the default waterfall only to fit). */
function elementRule(
    element: BackedUpElement,
    prefix: string,
    criticality: ColdStorageCriticality,
    retentionDays: number,
    layout: ColdLayout,
    tiering?: ElementSpec["tiering"],
): LifecycleRule {
    const derived = deriveLifecycleRule({ element, prefix, criticality, retentionDays, layout, tiering });
    if (tiering === undefined) return derived;
    return {
        ...derived,
        transitions: tiering.map((step) => ({ days: step.afterDays, storageClass: step.storageClass })),
        ...noncurrentActions(layout, tiering, retentionDays),
    };
}

/**
 * tiering.ts already reports every problem of the rules on their own, keyed to the elements. Here
 * only what the bucket settings add: each option is validated against that baseline and its extra
 * problems are keyed to the option, so nothing is reported twice.
 */
function lifecycleProblems(spec: ColdStorageSpec): Problem[] {
    const rules = spec.elements.map((element) => element.rule);
    const elementOf = (key: string) => spec.elements[Number(/^rules\[(\d+)\]/.exec(key)?.[1])];
    // The messages name what the user edits: an element's retention, a repository prefix.
    const wording: ValidateLifecycleOptions = {
        fieldName: (key, field) =>
            field === "days" && /^rules\[\d+\]\.expiration\.days$/.test(key) ? `elements.${elementOf(key).element}.retentionDays` : field,
        repositoryFix: `a repository prefix outside every element's (${spec.elements.map((e) => e.prefix).join(", ")}), e.g. "velero/",`,
    };
    const baseline = new Set(validateLifecycleConfiguration({ rules }, wording).map((p) => p.key + p.message));
    const added = (opts: ValidateLifecycleOptions) =>
        validateLifecycleConfiguration({ rules }, { ...wording, ...opts }).filter((p) => !baseline.has(p.key + p.message));
    const problems: Problem[] = [];
    if (spec.objectLock) {
        for (const p of added({ objectLockDays: spec.objectLock.days })) {
            problems.push({ key: configKey(["coldStorage", "objectLock", "days"]), message: `${elementOf(p.key).element}: ${p.message}` });
        }
    }
    spec.repositoryPrefixes.forEach((repository, index) => {
        for (const p of added({ repositoryPrefixes: [repository] })) {
            const { element, prefix } = elementOf(p.key);
            problems.push({
                key: configKey(["coldStorage", "repositoryPrefixes", index]),
                message: `the ${element} lifecycle rule (prefix "${prefix}"): ${p.message}`,
            });
        }
    });
    for (const p of validateLifecycleConfiguration({ rules: [], transitionDefaultMinimumObjectSize: spec.transitionDefaultMinimumObjectSize })) {
        problems.push({ key: configKey(["coldStorage", "transitionDefaultMinimumObjectSize"]), message: p.message });
    }
    return problems;
}

/** S3 naming rules; dots are refused too: they break TLS on virtual-hosted-style URLs. */
function bucketNameProblems(bucketName: string, withReplica: boolean): Problem[] {
    const key = configKey(["coldStorage", "bucketPrefix"]);
    const longest = withReplica ? replicaBucketName(bucketName) : bucketName;
    const problems: Problem[] = [];
    if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(bucketName)) {
        problems.push({
            key,
            message: `the backup bucket would be "${bucketName}" (<bucketPrefix>-<stack>): S3 bucket names hold lowercase letters, digits and hyphens only; use a stack name made of those (pulumi stack rename)`,
        });
    }
    if (longest.length > 63) {
        problems.push({
            key,
            message: `the ${withReplica ? "replica " : ""}bucket would be "${longest}" (${longest.length} characters): S3 accepts at most 63; write a bucketPrefix ${longest.length - 63} characters shorter`,
        });
    }
    if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(bucketName) || /^(xn--|sthree-|amzn-s3-demo-)/.test(bucketName)) {
        problems.push({ key, message: `the backup bucket would be "${bucketName}", whose prefix or suffix S3 reserves; write another bucketPrefix` });
    }
    return problems;
}

/** A role trusting another cluster's issuer could never be assumed by our copy jobs. */
function oidcProblems(oidc: ColdStorageSpec["oidc"]): Problem[] {
    if (!oidc) return [];
    const providerIssuer = oidc.providerArn.replace(/^.*?:oidc-provider\//, "");
    if (providerIssuer === oidc.issuer) return [];
    return [
        {
            key: configKey(["coldStorage", "oidc", "issuerUrl"]),
            message: `issuer "${oidc.issuer}" is not the one of providerArn ("${providerIssuer}"); write the issuer URL of the cluster that provider was created for`,
        },
    ];
}

/** `https://oidc.eks.…/id/X/` → `oidc.eks.…/id/X`. */
export function issuerHostPath(issuerUrl: string): string {
    return issuerUrl.replace(/^https:\/\//, "").replace(/\/+$/, "");
}
