// The plan server's synchronous client (test/support/plan-cli.ts `served`): a worker thread that
// sends a run to the server and hands the reply back through a MessagePort, waking the test's
// thread, which waits on `signal` meanwhile (tests call the tools synchronously). A thread, not a
// process a call: the suite makes ~50 calls, and a Node process costs ~0.1 s of CPU to start.
// Plain JavaScript: a worker thread does not go through ts-node.
const net = require("node:net");
const { workerData, parentPort } = require("node:worker_threads");

const { signal, port } = workerData;
// The server may still be loading the SDK when the first run arrives.
const CONNECT_PATIENCE_MS = 120_000;

function reply(message) {
    port.postMessage(message);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
}

function send(socketPath, request, deadline) {
    const chunks = [];
    const socket = net.connect(socketPath);
    socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => reply({ reply: Buffer.concat(chunks).toString("utf8") }));
    socket.on("error", (error) => {
        if ((error.code === "ENOENT" || error.code === "ECONNREFUSED") && Date.now() < deadline) setTimeout(() => send(socketPath, request, deadline), 50);
        else reply({ error: `plan server at ${socketPath}: ${error.message}` });
    });
}

parentPort.on("message", ({ socketPath, request }) => send(socketPath, request, Date.now() + CONNECT_PATIENCE_MS));
