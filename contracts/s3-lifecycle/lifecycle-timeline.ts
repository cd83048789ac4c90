/**
 * Ordering checks on one timeline (a rule's current-version actions, or its noncurrent-version
 * actions — S3 applies the same constraints to both, counting noncurrent days instead of age).
 *
 * S3 rejects: an IA class before 30 days; a class twice; a move against the waterfall; GLACIER,
 * DEEP_ARCHIVE or ONEZONE_IA less than 30 days after an IA transition; an expiration not after
 * every transition. GLACIER_IR (and INTELLIGENT_TIERING) soon after IA is not in AWS's documented
 * list of rejected rules — only the console warns — so it is reported as the costly mistake it is
 * (leaving IA before its 30-day minimum), not as a rejection.
 */
import { Step, Timeline, When, describeWhen, writeAtLeast } from "./lifecycle-shape";
import { Problem, problem } from "../problem";
import {
    ALLOWED_TRANSITIONS,
    IA_CLASSES,
    MIN_AGE_FOR_IA_DAYS,
    MIN_STORAGE_DAYS,
    StorageClass,
    TRANSITION_CLASSES,
    canTransition,
    isTransitionClass,
    waterfallRank,
} from "./storage-classes";

/** Targets S3 refuses less than 30 days after a STANDARD_IA/ONEZONE_IA transition in the same rule. */
const IA_GAP_TARGETS: readonly StorageClass[] = ["GLACIER", "DEEP_ARCHIVE", "ONEZONE_IA"];

export interface TimelineWords {
    /** Name of the field that ends the timeline: `expiration` or `noncurrentVersionExpiration`. */
    readonly expiration: string;
    /** What moves: `objects` or `noncurrent versions`. */
    readonly subject: string;
    /** The age S3 requires before an IA class, in words. */
    readonly iaAge: string;
}

export const CURRENT_WORDS: TimelineWords = { expiration: "expiration", subject: "objects", iaAge: `${MIN_AGE_FOR_IA_DAYS} days old` };
export const NONCURRENT_WORDS: TimelineWords = {
    expiration: "noncurrentVersionExpiration",
    subject: "noncurrent versions",
    iaAge: `noncurrent for ${MIN_AGE_FOR_IA_DAYS} days`,
};

type ClassStep = Step & { readonly storageClass: StorageClass };

/** `costly`: also report what S3 accepts but bills for (skipped for disabled rules). */
export function checkTimeline(timeline: Timeline, words: TimelineWords, costly: boolean, problems: Problem[]): void {
    const steps = distinctTargets(timeline.steps, words, problems);
    for (const step of steps) {
        if (IA_CLASSES.includes(step.storageClass) && step.basis === "days" && step.at < MIN_AGE_FOR_IA_DAYS) {
            problems.push(
                problem(
                    step.key,
                    `${step.storageClass} at ${describeWhen(step)}: S3 only moves ${words.subject} into ${step.storageClass} once they are ${words.iaAge}; ${writeAtLeast(step, MIN_AGE_FOR_IA_DAYS)}`,
                ),
            );
        }
    }
    const sorted = [...steps].sort((a, b) => a.at - b.at || waterfallRank(a.storageClass) - waterfallRank(b.storageClass));
    sorted.forEach((step, i) => {
        if (i > 0) checkMove(sorted[i - 1], step, costly, problems);
    });
    const last = sorted[sorted.length - 1];
    if (timeline.end !== undefined && last !== undefined) checkEnd(last, timeline.end, words, costly, problems);
}

/** Drops (and reports) targets that are not lifecycle classes or repeat one already in the rule. */
function distinctTargets(steps: readonly Step[], words: TimelineWords, problems: Problem[]): ClassStep[] {
    const seen = new Map<string, Step>();
    const kept: ClassStep[] = [];
    for (const step of steps) {
        const target = step.storageClass;
        if (!isTransitionClass(target)) {
            problems.push(
                problem(
                    step.classKey,
                    target === "STANDARD"
                        ? `S3 lifecycle never moves ${words.subject} back to STANDARD; remove this transition`
                        : `"${target}" is not a class S3 lifecycle can move ${words.subject} to; write one of ${TRANSITION_CLASSES.join(", ")}`,
                ),
            );
            continue;
        }
        const first = seen.get(target);
        if (first !== undefined) {
            problems.push(
                problem(
                    step.classKey,
                    `${target} appears twice in this rule (first at ${first.classKey}); S3 accepts each class once per rule — remove one of them`,
                ),
            );
            continue;
        }
        seen.set(target, step);
        kept.push({ ...step, storageClass: target });
    }
    return kept;
}

function checkMove(from: ClassStep, to: ClassStep, costly: boolean, problems: Problem[]): void {
    if (!canTransition(from.storageClass, to.storageClass)) {
        const allowed = ALLOWED_TRANSITIONS[from.storageClass];
        problems.push(
            problem(
                to.classKey,
                `${from.storageClass} (${describeWhen(from)}) → ${to.storageClass} (${describeWhen(to)}) goes against the S3 lifecycle waterfall, which only moves data to colder classes; ` +
                    (allowed.length > 0
                        ? `after ${from.storageClass} write one of ${allowed.join(", ")}, or remove this transition`
                        : `${from.storageClass} is the coldest class: remove this transition`),
            ),
        );
        return;
    }
    const gap = to.at - from.at;
    const minimum = MIN_STORAGE_DAYS[from.storageClass];
    if (IA_CLASSES.includes(from.storageClass) && IA_GAP_TARGETS.includes(to.storageClass) && gap < MIN_AGE_FOR_IA_DAYS) {
        problems.push(
            problem(
                to.key,
                `${to.storageClass} at ${describeWhen(to)} is only ${gap} days after ${from.storageClass} (${describeWhen(from)}); S3 rejects a ${to.storageClass} transition less than 30 days after an IA transition in the same rule; ${writeAtLeast(to, from.at + MIN_AGE_FOR_IA_DAYS)}`,
            ),
        );
    } else if (costly && gap < minimum) {
        problems.push(
            problem(
                to.key,
                `${from.storageClass} bills at least ${minimum} days but ${to.storageClass} at ${describeWhen(to)} moves data out after ${gap} (the other ${minimum - gap} are billed as an early-deletion fee); ${writeAtLeast(to, from.at + minimum)}`,
            ),
        );
    }
}

function checkEnd(last: ClassStep, end: When, words: TimelineWords, costly: boolean, problems: Problem[]): void {
    const minimum = MIN_STORAGE_DAYS[last.storageClass];
    const enough = last.at + Math.max(1, minimum);
    if (end.at <= last.at) {
        problems.push(
            problem(
                end.key,
                `${words.expiration} at ${describeWhen(end)} is not after the last transition (${last.storageClass} at ${describeWhen(last)}); S3 rejects an expiration that is not later than every transition; ${writeAtLeast(end, enough)}`,
            ),
        );
    } else if (costly && end.at - last.at < minimum) {
        problems.push(
            problem(
                end.key,
                `${last.storageClass} bills at least ${minimum} days but ${words.expiration} at ${describeWhen(end)} deletes ${words.subject} ${end.at - last.at} days after they arrive there (${describeWhen(last)}); ${writeAtLeast(end, enough)}, or drop the ${last.storageClass} transition`,
            ),
        );
    }
}
