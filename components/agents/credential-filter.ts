// The rclone exclude file the agents copy/restore scripts read (DR_EXCLUDE_FROM), rendered from
// the credential patterns of contracts/credential-files.json. Pure: no resources.
import { credentialFilePatterns, validateCredentialPatterns } from "../../contracts/credential-patterns";

/** ConfigMap key (and file name) of the rendered exclude file. */
export const CREDENTIAL_EXCLUDE_FILE = "credential-files.exclude";

/**
 * The header still names the list's former path, components/agents/credential-files.json: it is
 * deployed (ConfigMap data), and a refactoring leaves deployed objects as they are. Now
 * contracts/credential-files.json.
 */
const HEADER = "# Generated from components/agents/credential-files.json: never copied, never restored.";

/** Content for rclone --exclude-from: one pattern a line. */
export function renderExcludeFile(patterns: readonly string[] = credentialFilePatterns()): string {
    validateCredentialPatterns(patterns);
    return [HEADER, ...patterns, ""].join("\n");
}
