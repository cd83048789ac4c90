/**
 * A problem found in a configuration, by the stack config's resolver (config/) or by the S3
 * lifecycle validator (s3-lifecycle/, which the config and the policy pack share). `key` says where
 * — a config key (`qalita-dr:elements.s3.schedule`), or a path inside a lifecycle configuration
 * (`rules[2].transitions[1].days`) that callers prefix with their config key or resource URN —
 * and `message` what is wrong and what to write instead. Every problem is an error: there are no
 * warnings to ignore.
 */
export interface Problem {
    readonly key: string;
    readonly message: string;
}

export function problem(key: string, message: string): Problem {
    return { key, message };
}
