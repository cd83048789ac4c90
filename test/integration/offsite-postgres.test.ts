// components/postgresql/scripts/offsite-copy.sh against real rclone and a real S3 API.
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describeRun, requireRclone, runScript, ScriptResult } from "../support/rclone";
import { AwsS3, awsDestEnv, startAwsS3 } from "../support/aws-s3";

const SCRIPT = "components/postgresql/scripts/offsite-copy.sh";
const BUCKET = "cold";

type DumpFiles = Record<string, Buffer>;

function dumpFiles(): DumpFiles {
    return {
        "pg_dumpall.sql.gz": randomBytes(300 * 1024),
        "dump-info.json": Buffer.from(JSON.stringify({ server: "15.4", at: new Date().toISOString() })),
        "databases/qalita/toc.dat": randomBytes(2048),
    };
}

/** Writes a dump the way the dump job does; the manifest is sha256sum's output format. */
async function writeDump(root: string, id: string, files: DumpFiles, withManifest = true): Promise<void> {
    for (const [path, bytes] of Object.entries(files)) {
        await mkdir(dirname(join(root, id, path)), { recursive: true });
        await writeFile(join(root, id, path), bytes);
    }
    if (!withManifest) return;
    const lines = Object.entries(files).map(([path, bytes]) => `${createHash("sha256").update(bytes).digest("hex")}  ${path}\n`);
    await writeFile(join(root, id, "MANIFEST.sha256"), lines.join(""));
}

describe("postgresql offsite copy (rclone → S3)", function () {
    let s3: AwsS3;
    let dumpDir: string;
    const good: Record<string, DumpFiles> = {};
    const outputs: ScriptResult[] = [];

    const run = async (): Promise<ScriptResult> => {
        const r = await runScript(SCRIPT, { ...awsDestEnv(s3, BUCKET), PGDUMP_DIR: dumpDir, DR_BWLIMIT: "50M" });
        outputs.push(r);
        return r;
    };
    const keysOf = async (id: string) => (await s3.keys(BUCKET)).filter((k) => k.startsWith(`postgresql/${id}/`));

    before(async function () {
        requireRclone();
        s3 = await startAwsS3([BUCKET]);
        dumpDir = await mkdtemp(join(tmpdir(), "qalita-dr-pgdump-"));
        for (const id of ["20261122T020000Z", "20261123T020000Z"]) {
            good[id] = dumpFiles();
            await writeDump(dumpDir, id, good[id]);
        }
        // In progress: even a manifest inside must not make it eligible.
        await writeDump(dumpDir, ".partial-20261124T020000Z", dumpFiles());
        await writeDump(dumpDir, "20261121T020000Z", dumpFiles(), false);
    });

    // What AWS would have done differently: another key than the CMK, or a delete the writer may not do.

    afterEach(function () {

        assert.deepEqual(s3.violations, []);

        assert.deepEqual(s3.deniedDeletes, []);

    });


    after(async function () {
        await s3?.stop();
        if (dumpDir) await rm(dumpDir, { recursive: true, force: true });
    });

    it("ships every complete dump byte-identical, and nothing else", async function () {
        const r = await run();
        assert.equal(r.code, 0, describeRun(r));
        const expected = Object.entries(good).flatMap(([id, files]) =>
            [...Object.keys(files), "MANIFEST.sha256"].map((p) => `postgresql/${id}/${p}`),
        );
        assert.deepEqual(await s3.keys(BUCKET), expected.sort());
        for (const [id, files] of Object.entries(good)) {
            for (const [path, bytes] of Object.entries(files)) {
                assert.ok((await s3.object(BUCKET, `postgresql/${id}/${path}`)).equals(bytes), `${id}/${path} differs`);
            }
        }
    });

    it("uploads each dump's manifest after all of its files", function () {
        for (const id of Object.keys(good)) {
            const writes = s3.events.filter((e) => e.key.startsWith(`postgresql/${id}/`));
            assert.equal(writes.length, Object.keys(good[id]).length + 1);
            assert.equal(writes[writes.length - 1].key, `postgresql/${id}/MANIFEST.sha256`);
        }
    });

    it("uploads nothing on a second run", async function () {
        const before = s3.events.length;
        const r = await run();
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(s3.events.slice(before), []);
    });

    it("fails the run and ships no part of a dump that doesn't match its manifest", async function () {
        const corrupt = "20261125T020000Z";
        await writeDump(dumpDir, corrupt, dumpFiles());
        await appendFile(join(dumpDir, corrupt, "pg_dumpall.sql.gz"), "torn write");
        const unlisted = "20261126T020000Z";
        await writeDump(dumpDir, unlisted, dumpFiles());
        await writeFile(join(dumpDir, unlisted, "extra.sql"), "not covered by the manifest");
        // A good dump in the same run still gets out.
        const fresh = "20261127T020000Z";
        good[fresh] = dumpFiles();
        await writeDump(dumpDir, fresh, good[fresh]);

        const r = await run();
        assert.notEqual(r.code, 0, describeRun(r));
        assert.deepEqual(await keysOf(corrupt), []);
        assert.deepEqual(await keysOf(unlisted), []);
        assert.ok((await keysOf(fresh)).includes(`postgresql/${fresh}/MANIFEST.sha256`), describeRun(r));
        assert.ok((await s3.object(BUCKET, `postgresql/${fresh}/pg_dumpall.sql.gz`)).equals(good[fresh]["pg_dumpall.sql.gz"]));
    });

    it("never deletes a remote object", function () {
        assert.deepEqual(s3.events.filter((e) => e.kind === "removed"), []);
    });

    it("never prints the storage secret, even with debug logging asked for", async function () {
        // rclone's debug log prints backend options, secrets included.
        const r = await runScript(SCRIPT, { ...awsDestEnv(s3, BUCKET), PGDUMP_DIR: dumpDir, RCLONE_LOG_LEVEL: "DEBUG" });
        assert.match(r.stdout, /offsite-copy\[postgresql\]: done:/, describeRun(r));
        for (const o of [...outputs, r]) {
            assert.ok(!(o.stdout + o.stderr).includes(s3.secretAccessKey), "secret access key in the log");
        }
    });
});
