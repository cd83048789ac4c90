// ts-node for the tests and the tools they spawn, with swc as the transpiler (type-checking is
// `npm run typecheck`'s job): half the start-up time of TypeScript's own transpiler. Kept out of
// tsconfig.json so that `pulumi up` compiles the program as Pulumi's language host does.
require("ts-node").register({ swc: true });

// Temporary files in memory when the machine has room there: the suite writes throwaway
// PostgreSQL clusters, dumps and buckets (~1 GB over a run), and on this project's ext4 disk
// journaling them costs a quarter of the run's system time. Same semantics (modes, owners,
// setgid, bind mounts); Docker's default 64 MB /dev/shm is too small, so it is used only from
// 2 GB free. Children inherit TMPDIR; an explicit TMPDIR is left alone.
const { statfsSync } = require("node:fs");
const SHM = "/dev/shm";
const ROOM = 2 * 1024 ** 3;
if (!process.env.TMPDIR) {
    try {
        const { bavail, bsize } = statfsSync(SHM);
        if (bavail * bsize >= ROOM) process.env.TMPDIR = SHM;
    } catch {
        // No /dev/shm: the disk's tmpdir it is.
    }
}
