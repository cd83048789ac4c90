/**
 * A real Prometheus Pushgateway (Debian's prometheus-pushgateway) for the drill's metrics: on a
 * free loopback port only, metrics in memory only (no persistence file), stopped by the test.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { AddressInfo, createServer } from "node:net";

const BINARY = "/usr/bin/prometheus-pushgateway";

export interface Pushgateway {
    /** `http://127.0.0.1:<port>`: what DR_PUSHGATEWAY_URL names. */
    readonly url: string;
    /** The /metrics page, as Prometheus scrapes it. */
    metrics(): Promise<string>;
    stop(): Promise<void>;
}

export async function startPushgateway(): Promise<Pushgateway> {
    if (!existsSync(BINARY)) throw new Error("prometheus-pushgateway is not installed: apt-get install -y prometheus-pushgateway");
    const port = await freePort();
    const child: ChildProcess = spawn(BINARY, [`--web.listen-address=127.0.0.1:${port}`, "--persistence.file=", "--log.level=warn"], { stdio: "ignore" });
    const url = `http://127.0.0.1:${port}`;
    const stop = () =>
        new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill();
        });
    try {
        const deadline = Date.now() + 10_000;
        while (
            !(await fetch(`${url}/-/ready`).then(
                (r) => r.ok,
                () => false,
            ))
        ) {
            if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the Pushgateway did not start on ${url}`);
            await new Promise((r) => setTimeout(r, 100));
        }
        // It must listen on loopback only: nothing outside this machine may push to or read it.
        const listening = execFileSync("ss", ["-Htlnp"], { encoding: "utf8" })
            .split("\n")
            .filter((line) => line.includes(`pid=${child.pid},`));
        if (listening.length === 0 || listening.some((line) => !line.includes(`127.0.0.1:${port} `))) {
            throw new Error(`the Pushgateway listens beyond 127.0.0.1:${port}:\n${listening.join("\n")}`);
        }
    } catch (error) {
        await stop();
        throw error;
    }
    return { url, metrics: async () => (await fetch(`${url}/metrics`)).text(), stop };
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Samples of one metric family from a /metrics page: labels → value. */
export function samples(page: string, metric: string): { labels: Record<string, string>; value: number }[] {
    return page
        .split("\n")
        .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
        .map((line) => {
            const match = /^[a-z_:]+(?:\{(.*)\})? (\S+)$/.exec(line)!;
            const labels = Object.fromEntries([...(match[1] ?? "").matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
            return { labels, value: Number(match[2]) };
        });
}
