// components/agents/scripts/{offsite-copy,restore}.sh: the worker's ~/.qalita/ through an
// rclone crypt remote on a real S3 API, and back, with `qalita` stubbed on PATH.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { credentialFilePatterns, renderExcludeFile, validateCredentialPatterns } from "../../components/agents/credential-filter";
import { describeRun, rclone, requireRclone, runScript, s3RemoteEnv, ScriptResult } from "../support/rclone";
import { listFiles } from "../support/s3-server";
import { AwsS3, awsDestEnv, startAwsS3 } from "../support/aws-s3";

const COPY = "components/agents/scripts/offsite-copy.sh";
const RESTORE = "components/agents/scripts/restore.sh";
const BUCKET = "cold";
const DB_PASSWORD = `warehouse-${randomBytes(8).toString("hex")}`;
const API_TOKEN = `token-${randomBytes(8).toString("hex")}`;
const CRYPT = { DR_CRYPT_PASSWORD: `vault ${randomBytes(6).toString("hex")}`, DR_CRYPT_SALT: `salt-${randomBytes(6).toString("hex")}` };

// What a worker's ~/.qalita/ holds: kept files, and credential files that must never leave.
const kept: Record<string, Buffer> = {
    "sources-conf.yaml": Buffer.from(
        `version: 1\nsources:\n- name: warehouse\n  type: postgresql\n  config:\n    host: db.internal\n    password: ${DB_PASSWORD}\n`,
    ),
    "jobs/1234/result.json": Buffer.from(JSON.stringify({ score: 0.97 })),
    "jobs/1234/logs/run.log": Buffer.from("pack outlier_detection finished\n"),
    "jobs/5678/metrics.parquet": randomBytes(64 * 1024),
    "sub/notes.txt": Buffer.from("kept\n"),
    // Ordinary dotfiles that merely look alike stay.
    ".env": Buffer.from("LOG_LEVEL=info\n"),
    "jobs/1234/.environment": Buffer.from("python3.11\n"),
};
const credentials: Record<string, Buffer> = {
    ".worker": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".agent": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".env-admin": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    ".current_env": Buffer.from(".env-admin\n"),
    "sub/.env-x": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    // Backup and editor variants hold the same token.
    ".worker.bak": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".worker~": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    "..worker.swp": Buffer.from(`b0VIM 9.0 ${API_TOKEN}`),
    "#.worker#": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".agent.old": Buffer.from(Buffer.from(JSON.stringify({ token: API_TOKEN })).toString("base64")),
    ".env-admin~": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    ".#.env-admin": Buffer.from(`QALITA_WORKER_TOKEN=${API_TOKEN}\n`),
    ".current_env.orig": Buffer.from(".env-admin\n"),
};

async function writeTree(root: string, files: Record<string, Buffer>): Promise<void> {
    for (const [path, bytes] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), bytes);
    }
}

async function readTree(root: string): Promise<Record<string, Buffer>> {
    const tree: Record<string, Buffer> = {};
    for (const file of await listFiles(root)) tree[relative(root, file)] = await readFile(file);
    return tree;
}

describe("agents offsite copy and restore (rclone crypt → S3)", function () {
    let s3: AwsS3;
    let work: string;
    let qalitaHome: string;
    let excludeFile: string;
    const outputs: ScriptResult[] = [];

    const env = (extra: Record<string, string> = {}) => ({
        ...awsDestEnv(s3, BUCKET),
        ...CRYPT,
        DR_EXCLUDE_FROM: excludeFile,
        DR_BWLIMIT: "50M",
        ...extra,
    });
    const run = async (script: string, extra: Record<string, string> = {}): Promise<ScriptResult> => {
        const r = await runScript(script, env(extra));
        outputs.push(r);
        return r;
    };
    // The test's own view through the same crypt layer: decrypted names, no filter.
    const vault = async () => ({
        ...s3RemoteEnv("d", s3),
        RCLONE_CONFIG_V_TYPE: "crypt",
        RCLONE_CONFIG_V_REMOTE: `d:${BUCKET}/agents`,
        RCLONE_CONFIG_V_PASSWORD: (await rclone(["obscure", "-"], {}, `${CRYPT.DR_CRYPT_PASSWORD}\n`)).trim(),
        RCLONE_CONFIG_V_PASSWORD2: (await rclone(["obscure", "-"], {}, `${CRYPT.DR_CRYPT_SALT}\n`)).trim(),
    });
    const vaultFiles = async () =>
        (await rclone(["lsf", "-R", "--files-only", "v:"], await vault())).split("\n").filter(Boolean).sort();

    before(async function () {
        requireRclone();
        s3 = await startAwsS3([BUCKET]);
        work = await mkdtemp(join(tmpdir(), "qalita-dr-agents-"));
        qalitaHome = join(work, "data", "qalita");
        await writeTree(qalitaHome, { ...kept, ...credentials });
        excludeFile = join(work, "credential-files.exclude");
        await writeFile(excludeFile, renderExcludeFile());
    });

    // What AWS would have done differently: another key than the CMK, or a delete the writer may not do.

    afterEach(function () {

        assert.deepEqual(s3.violations, []);

        assert.deepEqual(s3.deniedDeletes, []);

    });


    after(async function () {
        await s3?.stop();
        if (work) await rm(work, { recursive: true, force: true });
    });

    it("copies every kept file and no credential file", async function () {
        const r = await run(COPY, { DR_SOURCE_DIR: qalitaHome });
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(await vaultFiles(), Object.keys(kept).sort());
    });

    it("stores no plaintext: neither the data-source password nor file names", async function () {
        for (const file of await listFiles(s3.dir)) {
            const bytes = await readFile(file);
            assert.ok(!bytes.includes(DB_PASSWORD), `${relative(s3.dir, file)} holds the data-source password`);
            assert.ok(!bytes.includes(API_TOKEN), `${relative(s3.dir, file)} holds the API token`);
        }
        const keys = await s3.keys(BUCKET);
        assert.equal(keys.length, Object.keys(kept).length);
        assert.ok(keys.every((k) => k.startsWith("agents/") && !/sources-conf|jobs|result\.json/.test(k)), keys.join(", "));
    });

    it("uploads nothing on a second run", async function () {
        const quiet = s3.events.length;
        const r = await run(COPY, { DR_SOURCE_DIR: qalitaHome });
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(s3.events.slice(quiet), []);
    });

    it("refuses to copy with another crypt key or without a credential list", async function () {
        const quiet = s3.events.length;
        const otherKey = await run(COPY, { DR_SOURCE_DIR: qalitaHome, DR_CRYPT_PASSWORD: "another password" });
        assert.notEqual(otherKey.code, 0, describeRun(otherKey));
        const emptyList = join(work, "empty.exclude");
        await writeFile(emptyList, "# nothing\n\n");
        const noList = await run(COPY, { DR_SOURCE_DIR: qalitaHome, DR_EXCLUDE_FROM: emptyList });
        assert.notEqual(noList.code, 0, describeRun(noList));
        assert.deepEqual(s3.events.slice(quiet), []);
    });

    it("restores every kept file byte-identical and no credential file, then logs in and pushes sources", async function () {
        // Credential files that reached the bucket somehow must still not come back.
        const planted = join(work, "planted");
        await writeTree(planted, credentials);
        await rclone(["copy", planted, "v:"], await vault());
        assert.deepEqual(await vaultFiles(), Object.keys({ ...kept, ...credentials }).sort());

        const bin = join(work, "bin");
        const calls = join(work, "qalita-calls.log");
        await mkdir(bin);
        await writeFile(
            join(bin, "qalita"),
            '#!/usr/bin/env bash\nsources=absent; [[ -f "$HOME/.qalita/sources-conf.yaml" ]] && sources=present\n' +
                'printf \'%s|%s|%s\\n\' "$*" "$HOME" "$sources" >>"$FAKE_QALITA_CALLS"\n',
        );
        await chmod(join(bin, "qalita"), 0o755);

        const home = join(work, "restored-home");
        const r = await run(RESTORE, {
            DR_TARGET_DIR: join(home, ".qalita"),
            DR_RUN_LOGIN: "1",
            PATH: `${bin}:${process.env.PATH}`,
            FAKE_QALITA_CALLS: calls,
        });
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(await readTree(join(home, ".qalita")), kept);
        assert.deepEqual((await readFile(calls, "utf8")).trim().split("\n"), [
            `worker login|${home}|present`,
            `source push|${home}|present`,
        ]);
    });

    it("never overwrites a file already on the volume", async function () {
        const target = join(work, "busy-home", ".qalita");
        const newer = Buffer.from("version: 1\nsources: []\n");
        await writeTree(target, { "sources-conf.yaml": newer });
        const r = await run(RESTORE, { DR_TARGET_DIR: target });
        assert.equal(r.code, 0, describeRun(r));
        assert.deepEqual(await readTree(target), { ...kept, "sources-conf.yaml": newer });
    });

    it("fails a restore with the wrong key instead of starting the worker empty", async function () {
        const target = join(work, "wrong-key", ".qalita");
        const r = await run(RESTORE, { DR_TARGET_DIR: target, DR_CRYPT_SALT: "not the salt" });
        assert.notEqual(r.code, 0, describeRun(r));
    });

    it("names the sourced file and line that failed, not the caller's", async function () {
        const r = await run(COPY, { DR_SOURCE_DIR: qalitaHome, DR_EXCLUDE_FROM: join(work, "no-such.exclude") });
        assert.notEqual(r.code, 0, describeRun(r));
        // The list is read by vault.sh's loop (bash reports a failed loop at a line near its start).
        const vault = (await readFile("components/agents/scripts/vault.sh", "utf8")).split("\n");
        const loop = vault.findIndex((l) => l.startsWith("while IFS= read -r line ||")) + 1;
        const at = /offsite-copy\[agents\]: failed at vault\.sh:(\d+)/.exec(r.stdout);
        assert.ok(at && Math.abs(Number(at[1]) - loop) <= 1, describeRun(r));
    });

    it("never prints a secret, even with debug logging asked for", async function () {
        const debug = await run(COPY, { DR_SOURCE_DIR: qalitaHome, RCLONE_LOG_LEVEL: "DEBUG" });
        assert.equal(debug.code, 0, describeRun(debug));
        const secrets = [s3.secretAccessKey, CRYPT.DR_CRYPT_PASSWORD, CRYPT.DR_CRYPT_SALT];
        for (const o of outputs) {
            for (const secret of secrets) assert.ok(!(o.stdout + o.stderr).includes(secret), "a secret is in the log");
        }
    });
});

describe("credential file list", function () {
    it("covers the worker's credential files, current and pre-2.11 names", function () {
        const patterns = credentialFilePatterns();
        for (const required of [".worker*", ".agent*", ".env-*", ".current_env*", "..worker*", "[#].worker*", ".#.worker*"]) assert.ok(patterns.includes(required), required);
    });

    it("rejects patterns rclone would anchor, drop as a comment, or that list nothing", function () {
        for (const bad of [["/.worker"], ["sub/.env-*"], ["#.worker"], [" .worker"], []]) {
            assert.throws(() => validateCredentialPatterns(bad), /credential-files\.json/, JSON.stringify(bad));
        }
    });
});
