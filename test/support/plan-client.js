// Sends one run to the plan server (test/support/plan-server.ts) and prints its reply: plain
// JavaScript, so a synchronous test call costs a bare Node start (~40 ms), not a plan's ~1.5 s.
// Usage: node plan-client.js SOCKET < request.json
const net = require("node:net");
const fs = require("node:fs");

const socketPath = process.argv[2];
const request = fs.readFileSync(0, "utf8");
// The server may still be loading the SDK when the first run arrives.
const deadline = Date.now() + 120_000;

function attempt() {
    const chunks = [];
    const socket = net.connect(socketPath);
    socket.on("connect", () => socket.write(`${request.trim()}\n`));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => process.stdout.write(Buffer.concat(chunks)));
    socket.on("error", (error) => {
        if ((error.code === "ENOENT" || error.code === "ECONNREFUSED") && Date.now() < deadline) setTimeout(attempt, 50);
        else {
            process.stderr.write(`plan server at ${socketPath}: ${error.message}\n`);
            process.exit(3);
        }
    });
}
attempt();
