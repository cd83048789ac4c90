/**
 * `qalita-dr:coldStorage`: its shape (strict, like raw-schema.ts) and its resolution into the
 * ColdStorageSpec the ColdStorage component is built from. Lifecycle rules are derived here, in
 * pure code, and validated before anything registers — the component deploys exactly these.
 */
import { z } from "zod";
import { days } from "./schema-parts";
import { elementPrefix } from "./catalog";
import { ColdStorageCriticality, deriveLifecycleRule, describeTiering } from "./cold-storage/lifecycle-derive";
import { ELEMENTS, ElementName } from "../contracts/elements";
import { LifecycleRule } from "../contracts/s3-lifecycle/lifecycle-rule";
import { TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES, ValidateLifecycleOptions, validateLifecycleConfiguration } from "../contracts/s3-lifecycle/lifecycle-validate";
import { configKey, Problem } from "./problems";
import type { ElementSpec } from "./spec";
import { PriceTable, US_EAST_1_PRICES } from "./cold-storage/prices";
import { STORAGE_CLASSES, StorageClass } from "../contracts/s3-lifecycle/storage-classes";

export const DEFAULT_BUCKET_PREFIX = "qalita-dr";
/** Rough backup sizes (GB) for cost estimates until the stack config says better. */
export const DEFAULT_BACKUP_SIZE_GB = { postgresql: 1, s3: 20, agents: 0.1, redis: 0.5 } as const;
export type BackedUpElement = keyof typeof DEFAULT_BACKUP_SIZE_GB;
export type TransitionDefaultMinimumObjectSize = (typeof TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES)[number];

/** us-east-1, eu-west-3, ap-southeast-7, us-gov-west-1, us-isob-east-1 … */
const AWS_REGION = /^[a-z]{2}(-(gov|iso[a-z]?))?-(central|(north|south)?(east|west)|north|south)-\d{1,2}$/;
const OIDC_PROVIDER_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/[^\s]+$/;
const gb = z.number({ error: "write a size in GB, e.g. 2.5" }).positive({ error: "write a size in GB greater than 0" });
const price = z.number({ error: "write a price in USD per GB-month, e.g. 0.0125" }).nonnegative({ error: "write a price ≥ 0" });

export const coldStorageSchema = z.strictObject({
    /** Backup buckets are named `<bucketPrefix>-<stack>`. @default "qalita-dr" */
    bucketPrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$/, { error: "write 3–42 lowercase letters, digits or hyphens" }).optional(),
    /** Default retention of every new object version; can't be turned off once on. */
    objectLock: z.strictObject({
        mode: z.enum(["GOVERNANCE", "COMPLIANCE"], { error: "write GOVERNANCE (s3:BypassGovernanceRetention can still delete) or COMPLIANCE (nobody can, not even root)" }),
        days: days(30),
    }, { error: "write { mode: GOVERNANCE, days: 30 }" }).optional(),
    /** Region of a cross-region replica bucket; unset: no replica. */
    replicaRegion: z.string({ error: 'write an AWS region, e.g. "eu-central-1"' }).regex(AWS_REGION, { error: 'write an AWS region, e.g. "eu-central-1"' }).optional(),
    /** @default "all_storage_classes_128K" (objects under 128 KB never transition: they would cost more) */
    transitionDefaultMinimumObjectSize: z.enum(TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES, { error: `write ${TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZES.join(" or ")}` }).optional(),
    /** The cluster's IAM OIDC provider: copy jobs then assume a role (IRSA) instead of holding a key. */
    oidc: z.strictObject({
        providerArn: z.string().regex(OIDC_PROVIDER_ARN, { error: "write the IAM OIDC provider's ARN, arn:aws:iam::<account>:oidc-provider/<issuer>" }),
        issuerUrl: z.string().regex(/^(https:\/\/)?[^\s/]+(\/[^\s]*)?$/, { error: "write the cluster's OIDC issuer URL, e.g. https://oidc.eks.eu-west-3.amazonaws.com/id/EXAMPLE" }),
    }).optional(),
    /** Size of one backup per element, for cost estimates. */
    expectedBackupSizeGb: z.strictObject({ postgresql: gb.optional(), s3: gb.optional(), agents: gb.optional(), redis: gb.optional() }).optional(),
    /** USD per GB-month overrides (another region, negotiated prices). @default us-east-1 list prices */
    prices: z.strictObject(Object.fromEntries(STORAGE_CLASSES.map((c) => [c, price.optional()])) as Record<StorageClass, z.ZodOptional<typeof price>>).optional(),
    /** Prefixes where kopia/restic/Velero keep a repository in the same bucket: no lifecycle may act there. */
    repositoryPrefixes: z.array(z.string().min(1, { error: 'write a non-empty prefix, e.g. "velero/"' }), { error: 'write a list of prefixes, e.g. ["velero/"]' }).optional(),
});

export type RawColdStorage = z.infer<typeof coldStorageSchema>;

export interface ColdStorageElementSpec {
    readonly element: BackedUpElement;
    /** Key prefix the element's copies are written under, e.g. `postgresql/`. */
    readonly prefix: string;
    readonly rule: LifecycleRule;
    /** "STANDARD → STANDARD_IA 30 d → …, expire 365 d", for the posture table. */
    readonly tieringWords: string;
    readonly expectedBackupSizeGb: number;
}

export interface ColdStorageSpec {
    readonly bucketName: string;
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    readonly replicaRegion?: string;
    readonly transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize;
    /** `issuer` is the issuer URL without scheme, as IAM condition keys spell it. */
    readonly oidc?: { readonly providerArn: string; readonly issuer: string };
    /** Every enabled element with a retention, in catalog order. */
    readonly elements: readonly ColdStorageElementSpec[];
    readonly prices: PriceTable;
    readonly repositoryPrefixes: readonly string[];
}

/** The replica is named after the source bucket so an operator finds one from the other. */
export function replicaBucketName(bucketName: string): string {
    return `${bucketName}-replica`;
}

export function resolveColdStorage(raw: RawColdStorage | undefined, elements: Readonly<Record<ElementName, ElementSpec>>, stack: string): { spec: ColdStorageSpec; problems: Problem[] } {
    const config = raw ?? {};
    const bucketName = `${config.bucketPrefix ?? DEFAULT_BUCKET_PREFIX}-${stack}`;
    const problems = bucketNameProblems(bucketName, config.replicaRegion !== undefined);
    const sizes = { ...DEFAULT_BACKUP_SIZE_GB, ...config.expectedBackupSizeGb };
    const coldElements = ELEMENTS.filter((e): e is BackedUpElement => e in DEFAULT_BACKUP_SIZE_GB).flatMap((element): ColdStorageElementSpec[] => {
        const spec = elements[element];
        if (!spec.enabled || spec.retentionDays === undefined || spec.criticality === "none") return [];
        const rule = elementRule(element, spec.criticality, spec.retentionDays, spec.tiering);
        return [{ element, prefix: elementPrefix(element), rule, tieringWords: describeTiering(rule), expectedBackupSizeGb: sizes[element] }];
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
function elementRule(element: BackedUpElement, criticality: ColdStorageCriticality, retentionDays: number, tiering?: ElementSpec["tiering"]): LifecycleRule {
    const derived = deriveLifecycleRule({ element, prefix: elementPrefix(element), criticality, retentionDays, tiering });
    if (tiering === undefined) return derived;
    return {
        ...derived,
        transitions: tiering.map((step) => ({ days: step.afterDays, storageClass: step.storageClass })),
        noncurrentVersionTransitions: tiering.map((step) => ({ noncurrentDays: step.afterDays, storageClass: step.storageClass })),
    };
}

/**
 * tiering.ts already reports every problem of the rules on their own, keyed to the elements. Here
 * only what the bucket settings add: each option is validated against that baseline and its extra
 * problems are keyed to the option, so nothing is reported twice.
 */
function lifecycleProblems(spec: ColdStorageSpec): Problem[] {
    const rules = spec.elements.map((element) => element.rule);
    const baseline = new Set(validateLifecycleConfiguration({ rules }).map((p) => p.key + p.message));
    const added = (opts: ValidateLifecycleOptions) => validateLifecycleConfiguration({ rules }, opts).filter((p) => !baseline.has(p.key + p.message));
    const elementOf = (key: string) => spec.elements[Number(/^rules\[(\d+)\]/.exec(key)?.[1])];
    const problems: Problem[] = [];
    if (spec.objectLock) {
        for (const p of added({ objectLockDays: spec.objectLock.days })) {
            const { element } = elementOf(p.key);
            problems.push({ key: configKey(["coldStorage", "objectLock", "days"]), message: `${element}: ${p.message.replace("write days:", `write elements.${element}.retentionDays:`)}` });
        }
    }
    spec.repositoryPrefixes.forEach((repository, index) => {
        for (const p of added({ repositoryPrefixes: [repository] })) {
            const { element, prefix } = elementOf(p.key);
            const message = p.message.replace(/write a prefix that excludes it/, `write a repository prefix outside every element's (${spec.elements.map((e) => e.prefix).join(", ")}), e.g. "velero/",`);
            problems.push({ key: configKey(["coldStorage", "repositoryPrefixes", index]), message: `the ${element} lifecycle rule (prefix "${prefix}"): ${message}` });
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
        problems.push({ key, message: `the backup bucket would be "${bucketName}" (<bucketPrefix>-<stack>): S3 bucket names hold lowercase letters, digits and hyphens only; use a stack name made of those (pulumi stack rename)` });
    }
    if (longest.length > 63) {
        problems.push({ key, message: `the ${withReplica ? "replica " : ""}bucket would be "${longest}" (${longest.length} characters): S3 accepts at most 63; write a bucketPrefix ${longest.length - 63} characters shorter` });
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
    return [{ key: configKey(["coldStorage", "oidc", "issuerUrl"]), message: `issuer "${oidc.issuer}" is not the one of providerArn ("${providerIssuer}"); write the issuer URL of the cluster that provider was created for` }];
}

/** `https://oidc.eks.…/id/X/` → `oidc.eks.…/id/X`. */
export function issuerHostPath(issuerUrl: string): string {
    return issuerUrl.replace(/^https:\/\//, "").replace(/\/+$/, "");
}
