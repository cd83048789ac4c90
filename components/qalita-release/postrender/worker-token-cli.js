#!/usr/bin/env node
// Helm post-renderer: one QALITA_WORKER_TOKEN per worker container (logic: worker-token.ts).
//
// The contract (helm v3 pkg/postrender/exec.go): helm runs this file with no arguments (the
// Release's `postrender` input is a path only), writes the whole rendered manifest to stdin,
// reads the post-rendered manifest from stdout, and on a non-zero exit aborts the install or
// upgrade, showing what was written to stderr. So: read all of stdin, write only the manifest to
// stdout, errors to stderr with exit code 1.
//
// It runs where `pulumi up` runs, started by the kubernetes provider: Node from PATH (the program
// is TypeScript, so Node is there) and the project's node_modules (ts-node, yaml), found from this
// file's location, not from the working directory.
"use strict";

const { join } = require("node:path");

function fail(message) {
    process.stderr.write(`qalita-dr worker-token post-renderer: ${message}\n`);
    process.exitCode = 1;
}

let postRender;
try {
    require("ts-node").register({
        transpileOnly: true,
        project: join(__dirname, "..", "..", "..", "tsconfig.json"),
        compilerOptions: { module: "commonjs" },
    });
    postRender = require("./worker-token").postRenderWorkerToken;
} catch (error) {
    fail(`cannot load worker-token.ts (run npm ci in the project): ${error && error.message}`);
}

if (postRender) {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("error", (error) => fail(`cannot read stdin: ${error.message}`));
    process.stdin.on("end", () => {
        let output;
        try {
            output = postRender(Buffer.concat(chunks).toString("utf8"));
        } catch (error) {
            fail(error && error.message ? error.message : String(error));
            return;
        }
        process.stdout.write(output);
    });
}
