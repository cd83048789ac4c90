// The worker's credential files, from the one list in credential-files.json, and the rclone
// exclude file the agents copy/restore scripts read (DR_EXCLUDE_FROM). Pure: no resources.
// Not named credential-files.ts: at run time (ts-node, Pulumi) an extensionless
// "./credential-files" import resolves to the .json before the .ts.
import list from "./credential-files.json";

/** ConfigMap key (and file name) of the rendered exclude file. */
export const CREDENTIAL_EXCLUDE_FILE = "credential-files.exclude";

/**
 * Checks each pattern can be written to an rclone exclude file and matches at any depth:
 * a "/" would anchor it (a leading one to the root), and a line starting with "#" or ";"
 * would be read as a comment, i.e. silently dropped.
 */
export function validateCredentialPatterns(patterns: readonly unknown[]): string[] {
    const problems: string[] = [];
    patterns.forEach((p, i) => {
        if (typeof p !== "string" || p.length === 0) problems.push(`patterns[${i}]: must be a non-empty string`);
        else if (/[/\s]/.test(p)) problems.push(`patterns[${i}] "${p}": no "/" or whitespace (file-name patterns match at any depth)`);
        else if (/^[#;!]/.test(p)) problems.push(`patterns[${i}] "${p}": a leading "#", ";" or "!" is not a pattern to rclone`);
    });
    if (patterns.length === 0) problems.push("patterns: empty (credentials would be copied)");
    if (problems.length > 0) throw new Error(`credential-files.json: ${problems.join("; ")}`);
    return patterns as string[];
}

export function credentialFilePatterns(): string[] {
    return validateCredentialPatterns(list.patterns);
}

/** Content for rclone --exclude-from: one pattern a line. */
export function renderExcludeFile(patterns: readonly string[] = credentialFilePatterns()): string {
    validateCredentialPatterns(patterns);
    return ["# Generated from components/agents/credential-files.json: never copied, never restored.", ...patterns, ""].join("\n");
}
