/**
 * Reads the day/date fields of one rule into timelines the ordering checks can compare, and reports
 * the values S3 rejects outright (negative or fractional days, days and date together, mixed
 * days/date actions). Inputs may come from preview JSON, so nothing here trusts the declared types.
 */
import { asRecord } from "./lifecycle-rule";
import { S3_MAX_DAYS } from "../limits";
import { Problem, problem } from "../problem";

const DAY_MS = 86_400_000;

/** A point on a rule's timeline: days after creation (or noncurrency), or a calendar date. */
export interface When {
    /** Days, or days since 1970-01-01 for dates: only differences are ever used. */
    readonly at: number;
    readonly basis: "days" | "date";
    /** Problem key of the field holding the value, e.g. `rules[0].transitions[1].days`. */
    readonly key: string;
    /** The rule's field holding the value (`days`, `noncurrentDays`, `date`). */
    readonly field: string;
    /** What the reader writes the value under: the field, unless the caller names it otherwise (FieldName). */
    readonly name: string;
}

/**
 * The name a message tells the reader to write a value under, given the problem key of the rule
 * field holding it (`rules[0].transitions[1].days`) and the field (`days`): callers whose users
 * write something else than the rule (the stack config's `tiering[1].afterDays`) name it theirs.
 */
export type FieldName = (key: string, field: string) => string;

export const RULE_FIELD_NAME: FieldName = (_key, field) => field;

export interface Step extends When {
    readonly storageClass: string;
    readonly classKey: string;
}

export interface Timeline {
    readonly steps: readonly Step[];
    readonly end?: When;
}

/** Current versions: `transitions[]` then `expiration`. Undefined when its values are unusable. */
export function readCurrentTimeline(rule: Record<string, unknown>, base: string, name: FieldName, problems: Problem[]): Timeline | undefined {
    const before = problems.length;
    const steps = readSteps(rule.transitions, `${base}.transitions`, "days", name, problems);
    const expiration = asRecord(rule.expiration);
    let end: When | undefined;
    if (expiration !== undefined && (isSet(expiration.days) || isSet(expiration.date))) {
        end = readWhen(expiration, `${base}.expiration`, "days", 1, name, problems);
        if (expiration.expiredObjectDeleteMarker === true) {
            problems.push(
                problem(
                    `${base}.expiration.expiredObjectDeleteMarker`,
                    "S3 rejects expiredObjectDeleteMarker together with days or date; remove it here and put it in a separate rule",
                ),
            );
        }
    }
    const all: When[] = [...(steps ?? []), ...(end ? [end] : [])];
    const mixed = all.find((when) => when.basis !== all[0].basis);
    if (mixed !== undefined) {
        problems.push(
            problem(mixed.key, `this rule mixes days and dates (${all[0].key} is a ${all[0].basis}); S3 rejects that — write days everywhere in the rule`),
        );
    }
    return steps !== undefined && problems.length === before ? { steps, end } : undefined;
}

/** Noncurrent versions: `noncurrentVersionTransitions[]` then `noncurrentVersionExpiration`. */
export function readNoncurrentTimeline(rule: Record<string, unknown>, base: string, name: FieldName, problems: Problem[]): Timeline | undefined {
    const before = problems.length;
    const steps = readSteps(rule.noncurrentVersionTransitions, `${base}.noncurrentVersionTransitions`, "noncurrentDays", name, problems);
    const expiration = asRecord(rule.noncurrentVersionExpiration);
    let end: When | undefined;
    if (expiration !== undefined) {
        end = readWhen(expiration, `${base}.noncurrentVersionExpiration`, "noncurrentDays", 1, name, problems);
        checkNewerVersions(expiration, `${base}.noncurrentVersionExpiration`, problems);
    }
    return steps !== undefined && problems.length === before ? { steps, end } : undefined;
}

function readSteps(list: unknown, base: string, field: "days" | "noncurrentDays", name: FieldName, problems: Problem[]): Step[] | undefined {
    if (!isSet(list)) return [];
    if (!Array.isArray(list)) {
        problems.push(problem(base, `S3 needs a list here; write a list of { ${field}, storageClass }`));
        return undefined;
    }
    const steps: Step[] = [];
    list.forEach((item, j) => {
        const key = `${base}[${j}]`;
        const record = asRecord(item);
        if (record === undefined) {
            problems.push(problem(key, `S3 needs an action object here; write { ${field}, storageClass }`));
            return;
        }
        const when = readWhen(record, key, field, 0, name, problems);
        if (field === "noncurrentDays") checkNewerVersions(record, key, problems);
        if (typeof record.storageClass !== "string") {
            problems.push(problem(`${key}.storageClass`, "S3 needs a storage class; write one, e.g. GLACIER_IR"));
        } else if (when !== undefined) {
            steps.push({ ...when, storageClass: record.storageClass, classKey: `${key}.storageClass` });
        }
    });
    return steps;
}

/** One action's time; an action with neither days nor date happens at day 0 (provider default). */
function readWhen(
    record: Record<string, unknown>,
    key: string,
    field: "days" | "noncurrentDays",
    minDays: number,
    name: FieldName,
    problems: Problem[],
): When | undefined {
    const days = record[field];
    const date = field === "days" ? record.date : undefined;
    if (isSet(days) && isSet(date)) {
        problems.push(problem(`${key}.date`, `S3 rejects ${field} and date on the same action; write ${field} only`));
        return undefined;
    }
    if (isSet(date)) {
        const ms = typeof date === "string" && /^\d{4}-\d{2}-\d{2}/.test(date) ? Date.parse(date) : NaN;
        if (Number.isNaN(ms)) {
            problems.push(problem(`${key}.date`, "S3 needs a calendar date at midnight UTC; write it as YYYY-MM-DD"));
            return undefined;
        }
        return { at: Math.floor(ms / DAY_MS), basis: "date", key: `${key}.date`, field: "date", name: name(`${key}.date`, "date") };
    }
    const daysKey = `${key}.${field}`;
    const daysName = name(daysKey, field);
    if (!isSet(days)) {
        if (field === "noncurrentDays") problems.push(problem(daysKey, `S3 needs a whole number of days here; write ${daysName}: a whole number ≥ ${minDays}`));
        return field === "days" ? { at: 0, basis: "days", key: daysKey, field, name: daysName } : undefined;
    }
    if (typeof days !== "number" || !Number.isInteger(days) || days < minDays) {
        problems.push(problem(daysKey, `S3 needs a whole number of days here; write ${daysName}: a whole number ≥ ${minDays}`));
        return undefined;
    }
    if (days > S3_MAX_DAYS) {
        problems.push(
            problem(
                daysKey,
                `${days} days is beyond what S3 takes (its day counts are 32-bit integers, at most ${S3_MAX_DAYS}); write ${daysName}: a whole number from ${minDays} to ${S3_MAX_DAYS}`,
            ),
        );
        return undefined;
    }
    return { at: days, basis: "days", key: daysKey, field, name: daysName };
}

/** S3 keeps at most 100 newer noncurrent versions per action. */
function checkNewerVersions(record: Record<string, unknown>, key: string, problems: Problem[]): void {
    const newer = record.newerNoncurrentVersions;
    if (isSet(newer) && !(typeof newer === "number" && Number.isInteger(newer) && newer >= 1 && newer <= 100)) {
        problems.push(problem(`${key}.newerNoncurrentVersions`, "S3 keeps 1 to 100 newer noncurrent versions; write a whole number from 1 to 100"));
    }
}

function isSet(value: unknown): boolean {
    return value !== undefined && value !== null;
}

/** `day 30`, `noncurrent day 30` or `2026-08-22`, for messages. */
export function describeWhen(when: When): string {
    if (when.basis === "date") return new Date(when.at * DAY_MS).toISOString().slice(0, 10);
    return when.field === "noncurrentDays" ? `noncurrent day ${when.at}` : `day ${when.at}`;
}

/** "write days: 60 or more" / "write a date on or after 2026-09-21". */
export function writeAtLeast(when: When, at: number): string {
    if (when.basis === "date") return `write a date on or after ${describeWhen({ ...when, at })}`;
    return `write ${when.name}: ${at} or more`;
}
