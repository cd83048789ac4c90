// The worker's credential files, from the one list in credential-files.json: the agents' copy and
// restore exclude them (components/agents/credential-filter.ts renders the rclone exclude file),
// and the policy no-credential-files-in-backups requires every one of them excluded.
// Not named credential-files.ts: at run time (ts-node, Pulumi) an extensionless
// "./credential-files" import resolves to the .json before the .ts.
import list from "./credential-files.json";

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
