/**
 * A lifecycle problem. `key` is a path inside the lifecycle configuration (`rules[2].transitions[1].days`)
 * that callers prefix with their config key or resource URN; `message` says what is wrong and
 * what to write instead. Every problem is an error: either S3 rejects the configuration, or it is
 * accepted and silently costs money or destroys backups.
 */
export interface Problem {
    readonly key: string;
    readonly message: string;
    readonly severity: "error";
}

export function problem(key: string, message: string): Problem {
    return { key, message, severity: "error" };
}
