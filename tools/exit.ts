/**
 * Exits once stdout and stderr are flushed: to a pipe, Node writes asynchronously, and a bare
 * process.exit() cuts a large plan JSON short (`npm run plan -- --json | npm run policy -- -`).
 */
export function exitAfterFlush(code: number): void {
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
