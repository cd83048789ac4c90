/**
 * A healthchecks.io stand-in on loopback, for the dead-man's switch: a check's ping URL (with a
 * random uuid, which a test asserts never reaches a log) answering "OK" to any method on `<url>`
 * and `<url>/fail`, each ping recorded; or (`hang`) a server that accepts connections and never
 * answers, to show a ping is bounded in time. Stopped by the test.
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { AddressInfo, createServer, Server, Socket } from "node:net";

export interface Ping {
    readonly method: string;
    /** What the ping reported: `<url>` success, `<url>/fail` failure. */
    readonly kind: "success" | "failure" | "other";
    readonly body: string;
}

export interface Heartbeat {
    /** The check's ping URL: what the Secret holds. */
    readonly url: string;
    /** The secret part of the URL. */
    readonly uuid: string;
    readonly pings: Ping[];
    stop(): Promise<void>;
}

export async function startHeartbeat(mode: "answer" | "hang" = "answer"): Promise<Heartbeat> {
    const uuid = randomUUID();
    const pings: Ping[] = [];
    const sockets = new Set<Socket>();
    const base = `/ping/${uuid}`;
    const server: Server =
        mode === "hang"
            ? createServer(() => undefined)
            : createHttpServer((req, res) => {
                  const chunks: Buffer[] = [];
                  req.on("data", (chunk: Buffer) => chunks.push(chunk));
                  req.on("end", () => {
                      const kind = req.url === base ? "success" : req.url === `${base}/fail` ? "failure" : "other";
                      pings.push({ method: req.method ?? "", kind, body: Buffer.concat(chunks).toString("utf8") });
                      res.writeHead(kind === "other" ? 404 : 200, { "Content-Type": "text/plain" }).end(kind === "other" ? "not found" : "OK");
                  });
              });
    server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", () => listening()));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${base}`,
        uuid,
        pings,
        stop: async () => {
            for (const socket of sockets) socket.destroy();
            await new Promise<void>((done) => server.close(() => done()));
        },
    };
}
