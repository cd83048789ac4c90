// ts-node for the tests and the tools they spawn, with swc as the transpiler (type-checking is
// `npm run typecheck`'s job): half the start-up time of TypeScript's own transpiler. Kept out of
// tsconfig.json so that `pulumi up` compiles the program as Pulumi's language host does.
require("ts-node").register({ swc: true });

// Every temporary file of a test run lives in one directory of the run, removed when the run
// ends: mocha's main process makes it, its workers and everything they start inherit it (TMPDIR).
// In memory when the machine has room there: the suite writes throwaway PostgreSQL clusters,
// dumps and buckets (~1 GB over a run), and on an ext4 disk journaling them costs a quarter of the
// run's system time. Same semantics (modes, owners, setgid, bind mounts); Docker's default 64 MB
// /dev/shm is too small, so it is used only from 2 GB free. An explicit TMPDIR is the base instead.
const { chmodSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const RUN_DIR = "QALITA_DR_TEST_RUN_DIR";
const SHM = "/dev/shm";
const ROOM = 2 * 1024 ** 3;
const STALE_MS = 3_600_000;

function base() {
    if (process.env.TMPDIR) return process.env.TMPDIR;
    try {
        const { bavail, bsize } = statfsSync(SHM);
        if (bavail * bsize >= ROOM) return SHM;
    } catch {
        // No /dev/shm: the disk's tmpdir it is.
    }
    return tmpdir();
}

if (!process.env[RUN_DIR]) {
    const root = base();
    // What runs that were killed left behind.
    for (const entry of readdirSync(root).filter((name) => name.startsWith("qalita-dr-run-"))) {
        const path = join(root, entry);
        if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    }
    const dir = mkdtempSync(join(root, "qalita-dr-run-"));
    // Like /tmp: pods run as other users (65532, 1001, postgres) and make their own directories here.
    chmodSync(dir, 0o1777);
    process.env[RUN_DIR] = dir;
    process.env.TMPDIR = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
}
