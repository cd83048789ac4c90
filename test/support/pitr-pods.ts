/**
 * The point-in-time recovery pods as the stack renders them (components/postgresql/pitr), for
 * tests and the benchmark that run them with EmulatedPod, and what drives them: a writer inserting
 * timestamped rows through one psql session, the receiver's process found to be stopped like the
 * kubelet stops a container (SIGTERM).
 */
import { ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { baseBackupCronJobSpec, pitrCopyArgs, pitrCopyCronJobSpec } from "../../components/postgresql/pitr/cronjobs-spec";
import { pitrRestoreJobSpec, roleJobSpec } from "../../components/postgresql/pitr/jobs-spec";
import { pitrFiles } from "../../components/postgresql/pitr/pod";
import { receiverDeploymentSpec } from "../../components/postgresql/pitr/receiver-spec";
import type { ColdDestination } from "../../components/offsite/destination";
import { destinationEnv } from "../../components/offsite/destination";
import { PITR_PASSWORD_KEY, pitrName, pitrRoleSecretName } from "../../contracts/pitr";
import { POSTGRESQL_SECRET_KEYS, postgresqlDataClaimName, postgresqlImage, postgresqlName } from "../../contracts/qalita-chart";
import { PG_BIN, PgCluster } from "./pg-cluster";

export const RELEASE = "qalita";
export const PITR_PREFIX = "postgresql/pitr/";
export const ARCHIVE_CLAIM = pitrName(RELEASE);
export const DATA_CLAIM = postgresqlDataClaimName(RELEASE);
const image = postgresqlImage({});
const identity = { serviceAccountName: "sa", configMapName: "scripts" };

/** Each pod's spec and the files of its ConfigMap. */
export const pitrPods = {
    receiver: () => ({
        spec: receiverDeploymentSpec({ release: RELEASE, image, ...identity, keepBaseBackups: 2, paused: false }).template.spec,
        files: pitrFiles(["wal-receiver.sh", "base-backup.sh"]),
    }),
    baseBackup: () => ({
        spec: baseBackupCronJobSpec({ release: RELEASE, image, ...identity, schedule: "0 3 * * *", keepBaseBackups: 2, suspend: false }).jobTemplate.spec
            .template.spec,
        files: pitrFiles(["base-backup.sh"]),
    }),
    copy: (destination: ColdDestination) => ({
        spec: pitrCopyCronJobSpec({
            ...pitrCopyArgs({ namespace: RELEASE, release: RELEASE, schedule: "*/5 * * * *", destination, prefix: PITR_PREFIX, suspend: false }),
            ...identity,
            suspend: false,
        }).jobTemplate.spec.template.spec,
        files: pitrFiles(["pitr-offsite.sh"], true),
    }),
    role: () => ({ spec: roleJobSpec({ labels: {}, release: RELEASE, image, ...identity }).template.spec, files: pitrFiles(["replication-role.sh"]) }),
    restore: (targetTime: string, destination?: ColdDestination) => ({
        spec: pitrRestoreJobSpec({
            labels: {},
            release: RELEASE,
            image,
            ...identity,
            targetTime,
            cold: destination ? destinationEnv(destination, PITR_PREFIX) : undefined,
        }).template.spec,
        files: pitrFiles(["pitr-restore.sh", "wal-fetch.sh", "pitr-fetch.sh"], true),
    }),
};

/** The Secrets the PITR pods read: the release's superuser password, the replication role's. */
export function pitrSecrets(primary: PgCluster, rolePassword: string): Record<string, Record<string, string>> {
    return {
        [postgresqlName(RELEASE)]: { [POSTGRESQL_SECRET_KEYS.postgresPassword]: primary.password },
        [pitrRoleSecretName(RELEASE)]: { [PITR_PASSWORD_KEY]: rolePassword },
    };
}

/**
 * The pid of the process running `bash <scriptsDir>/<script>` (an EmulatedPod's container), once
 * it runs: the script itself, not one of its subshells (which share its command line).
 */
export async function scriptPid(scriptsDir: string, script: string, timeoutMs = 10_000): Promise<number> {
    const wanted = join(scriptsDir, script);
    const runsScript = (pid: string) => {
        try {
            const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            return argv[0] === "/bin/bash" && argv[1] === wanted && statSync(`/proc/${pid}`).uid !== 0;
        } catch {
            return false; // it ended while we looked
        }
    };
    const parentOf = (pid: string) =>
        readFileSync(`/proc/${pid}/stat`, "utf8")
            .replace(/^.*\) /, "")
            .split(" ")[1];
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
        const top = readdirSync("/proc").find((pid) => /^\d+$/.test(pid) && runsScript(pid) && !runsScript(parentOf(pid)));
        if (top) return Number(top);
    }
    throw new Error(`no process runs ${wanted}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One psql session inserting a row every `everyMs` (autocommit), each printing its id once
 * committed: `confirmed` holds what a client saw committed, in order.
 */
export class Writer {
    readonly confirmed: number[] = [];
    private readonly child: ChildProcess;
    private readonly timer: NodeJS.Timeout;
    private buffer = "";
    readonly exited: Promise<number | null>;

    constructor(primary: PgCluster, everyMs = 10) {
        this.child = spawn(`${PG_BIN}/psql`, ["-X", "-q", "-A", "-t", "-d", "postgres"], { env: primary.env(), stdio: ["pipe", "pipe", "ignore"] });
        this.child.stdout!.on("data", (data: Buffer) => {
            this.buffer += data.toString();
            const lines = this.buffer.split("\n");
            this.buffer = lines.pop()!;
            for (const line of lines) if (/^\d+$/.test(line)) this.confirmed.push(Number(line));
        });
        this.child.stdin!.on("error", () => undefined); // the server died under it: expected
        this.exited = new Promise((resolve) => this.child.on("close", resolve));
        this.timer = setInterval(() => {
            if (this.child.stdin!.writable) this.child.stdin!.write("INSERT INTO ticks DEFAULT VALUES RETURNING id;\n");
        }, everyMs);
    }

    get last(): number {
        return this.confirmed[this.confirmed.length - 1] ?? 0;
    }

    async stop(): Promise<void> {
        clearInterval(this.timer);
        this.child.stdin!.end();
        await this.exited;
    }
}
