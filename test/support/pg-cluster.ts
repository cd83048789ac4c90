// Throwaway PostgreSQL 15 clusters for integration tests and the benchmark.
// Debian's server binaries are off PATH, and initdb refuses root (CI runs as root), so when root
// the cluster runs as the `postgres` system user from a temp dir that user owns. Clients connect
// over TCP on 127.0.0.1 with a generated password, exactly like the backup pod does.
import { execFile, execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);

export const PG_BIN = "/usr/lib/postgresql/15/bin";
const INSTALL_HINT = "apt-get install -y postgresql-15";

export interface PgClusterOptions {
    /** Extra server settings (`-c name=value`), e.g. `{ fsync: "off" }` for fast tests. */
    settings?: Record<string, string>;
    /** Tag in the temp dir name, handy when several clusters run at once. */
    name?: string;
    /** Superuser password; generated when absent. */
    password?: string;
    /** A cluster of its own initdb, with its own system identifier (copies of the process's template share one). */
    fresh?: boolean;
}

export class PgCluster {
    readonly host = "127.0.0.1";
    readonly user = "postgres";
    private running = true;

    constructor(
        readonly port: number,
        readonly password: string,
        readonly baseDir: string,
        private readonly asPostgres: boolean,
    ) {}

    get dataDir(): string {
        return path.join(this.baseDir, "data");
    }

    /** Environment a client needs, with the PostgreSQL 15 client tools first on PATH. */
    env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
        return {
            PATH: `${PG_BIN}:/usr/local/bin:/usr/bin:/bin`,
            HOME: this.baseDir,
            PGHOST: this.host,
            PGPORT: String(this.port),
            PGUSER: this.user,
            PGPASSWORD: this.password,
            ...extra,
        };
    }

    /** Runs SQL (as the superuser unless `login` says otherwise) and returns unaligned, tuples-only output. */
    async psql(sql: string, db = "postgres", login?: { user: string; password: string }): Promise<string> {
        const env = this.env(login ? { PGUSER: login.user, PGPASSWORD: login.password } : {});
        const { stdout } = await run(`${PG_BIN}/psql`, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql], {
            env,
            maxBuffer: 64 * 1024 * 1024,
        });
        return stdout.trim();
    }

    async databases(): Promise<string[]> {
        const out = await this.psql("SELECT datname FROM pg_database ORDER BY 1");
        return out.split("\n");
    }

    /** `fast` disconnects clients cleanly; `immediate` is a crash as far as clients can tell. */
    async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
        if (!this.running) return;
        await run(...this.pgCtl(["stop", "-w", "-m", mode]));
        this.running = false;
    }

    /** Stops the server if needed and deletes every file; safe to call twice. */
    async destroy(): Promise<void> {
        try {
            await this.stop("immediate");
        } catch {
            // The server is already down (a test stopped or crashed it): only files are left.
            this.running = false;
        } finally {
            fs.rmSync(this.baseDir, { recursive: true, force: true });
            live.delete(this);
        }
    }

    /** Synchronous variant for process exit, when tests crashed before `after` hooks ran. */
    destroySync(): void {
        if (this.running) {
            try {
                execFileSync(...this.pgCtl(["stop", "-w", "-m", "immediate"]), { stdio: "ignore" });
            } catch {
                /* already gone */
            }
            this.running = false;
        }
        fs.rmSync(this.baseDir, { recursive: true, force: true });
    }

    /** [file, args] running a server binary as the cluster's owner. */
    pgCtl(args: string[]): [string, string[]] {
        return asOwner(this.asPostgres, "pg_ctl", ["-D", this.dataDir, ...args]);
    }
}

const live = new Set<PgCluster>();
process.on("exit", () => {
    for (const c of live) c.destroySync();
});

// runuser lives in sbin, which a non-login PATH may lack.
const RUNUSER = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => fs.existsSync(p)) ?? "runuser";

function asOwner(asPostgres: boolean, bin: string, args: string[]): [string, string[]] {
    return asPostgres ? [RUNUSER, ["-u", "postgres", "--", `${PG_BIN}/${bin}`, ...args]] : [`${PG_BIN}/${bin}`, args];
}

/** A port free on 127.0.0.1 now: another process may still take it before the caller binds it (retry then). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
    });
}

function postgresIds(): { uid: number; gid: number } {
    try {
        const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
        const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
        return { uid, gid };
    } catch {
        throw new Error(`no 'postgres' system user to run PostgreSQL as root; install the server with \`${INSTALL_HINT}\``);
    }
}

/** initdb into `dataDir`, owned by the server's user, with `password` for the superuser. */
async function initdb(asPostgres: boolean, baseDir: string, password: string): Promise<void> {
    const pwFile = path.join(baseDir, "pwfile");
    fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (asPostgres) {
        const { uid, gid } = postgresIds();
        fs.chownSync(baseDir, uid, gid);
        fs.chownSync(pwFile, uid, gid);
    }
    const options = ["-U", "postgres", "--pwfile", pwFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"];
    await run(...asOwner(asPostgres, "initdb", ["-D", path.join(baseDir, "data"), ...options]));
    fs.rmSync(pwFile);
}

/**
 * One initdb per process; each cluster starts from a copy of it (`cp -a`, owners kept): initdb
 * takes ~0.6 s, a copy ~0.06 s, and the suite starts a few dozen clusters. Copies share the
 * template's system identifier — `fresh: true` when a test needs clusters that tell apart.
 */
let template: Promise<{ baseDir: string; password: string }> | undefined;
function templateCluster(asPostgres: boolean): Promise<{ baseDir: string; password: string }> {
    template ??= (async () => {
        const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-template-"));
        process.on("exit", () => fs.rmSync(baseDir, { recursive: true, force: true }));
        const password = randomBytes(18).toString("base64url");
        await initdb(asPostgres, baseDir, password);
        return { baseDir, password };
    })();
    return template;
}

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
    if (!fs.existsSync(`${PG_BIN}/initdb`) || !fs.existsSync(`${PG_BIN}/pg_ctl`)) {
        throw new Error(`PostgreSQL 15 server binaries not found in ${PG_BIN}; install them with \`${INSTALL_HINT}\``);
    }
    const asPostgres = process.getuid?.() === 0;
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), `pg-${opts.name ?? "cluster"}-`));
    const password = opts.password ?? randomBytes(18).toString("base64url");
    try {
        let initialPassword = password;
        if (opts.fresh) {
            await initdb(asPostgres, baseDir, password);
        } else {
            const copied = await templateCluster(asPostgres);
            if (asPostgres) fs.chownSync(baseDir, postgresIds().uid, postgresIds().gid);
            await run("cp", ["-a", path.join(copied.baseDir, "data"), path.join(baseDir, "data")]);
            initialPassword = copied.password;
        }
        const settings = { listen_addresses: "127.0.0.1", unix_socket_directories: baseDir, ...opts.settings };
        const serverOpts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`);
        // A port found free can be taken before the server binds it: retry with another.
        for (let attempt = 1; ; attempt++) {
            const port = await freePort();
            const cluster = new PgCluster(port, password, baseDir, asPostgres);
            try {
                await run(...cluster.pgCtl(["start", "-w", "-t", "60", "-l", path.join(baseDir, "server.log"), "-o", [`-p ${port}`, ...serverOpts].join(" ")]));
                live.add(cluster);
                if (initialPassword !== password) {
                    // The template's password, then this cluster's own (its hash never in the server log: statement logging is off here).
                    await cluster.psql(`SET log_statement = 'none'; ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`, "postgres", {
                        user: "postgres",
                        password: initialPassword,
                    });
                }
                return cluster;
            } catch (err) {
                if (attempt >= 3) throw new Error(`PostgreSQL did not start: ${serverLog(baseDir)}\n${String(err)}`);
            }
        }
    } catch (err) {
        fs.rmSync(baseDir, { recursive: true, force: true });
        throw err;
    }
}

function serverLog(baseDir: string): string {
    try {
        return fs.readFileSync(path.join(baseDir, "server.log"), "utf8").slice(-2000);
    } catch {
        return "(no server log)";
    }
}
