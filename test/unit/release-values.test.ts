import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { releaseValues } from "../../components/qalita-release/values";
import { resolveWithWorker } from "../support/config";

// The real upstream values files (shared/ sits beside the checkout, in CI too).
const UPSTREAM = resolve(__dirname, "../../../shared/upstream");

/** Every leaf path of an object: ["postgresql", "backup", "cronjob", "schedule"], … */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
    return Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

function has(object: any, path: string[]): boolean {
    return path.every((key) => {
        if (object === null || typeof object !== "object" || !(key in object)) return false;
        object = object[key];
        return true;
    });
}

describe("QALITA release values", () => {
    const bitnami = parse(readFileSync(resolve(UPSTREAM, "bitnami-postgresql-12.12.10.values.yaml"), "utf8"));

    it("only sets postgresql keys that exist in Bitnami postgresql 12.12.10", () => {
        const values = releaseValues(resolveWithWorker({ elements: { postgresql: { dump: { storageClass: "fast" } } } }));
        const paths = leafPaths((values as any).postgresql);
        assert.ok(paths.length > 5);
        for (const path of paths) assert.ok(has(bitnami, path), `postgresql.${path.join(".")} is not a Bitnami 12.12.10 key`);
    });

    it("enables the dump with the UTC schedule, no overlap and PVC kept on uninstall", () => {
        const spec = resolveWithWorker({ elements: { postgresql: { schedule: "0 2 * * *", timezone: "Europe/Paris" } } });
        const backup = (releaseValues(spec) as any).postgresql.backup;
        assert.equal(backup.enabled, true);
        assert.equal(backup.cronjob.schedule, "0 1 * * *");
        assert.equal(backup.cronjob.concurrencyPolicy, "Forbid");
        assert.ok(backup.cronjob.startingDeadlineSeconds > 0);
        assert.equal(backup.cronjob.storage.resourcePolicy, "keep");
    });

    it("merges the user's values under the stack's own, lists replaced like helm does", () => {
        const spec = resolveWithWorker({ releaseValues: { worker: { enabled: true, replicaCount: 2 }, backend: { deployment: { extraEnv: [{ name: "A", value: "1" }] } } } });
        const values = releaseValues(spec) as any;
        assert.deepEqual(values.worker.replicaCount, 2);
        assert.deepEqual(values.worker.pvc, { enabled: true, storageSize: "10Gi" });
        // The token reaches the worker from its Secret, after the chart's literal one.
        assert.deepEqual(values.worker.deployment.extraEnv, [{ name: "QALITA_WORKER_TOKEN", valueFrom: { secretKeyRef: { name: "qalita-worker-token", key: "token" } } }]);
        assert.deepEqual(values.backend.deployment.extraEnv, [{ name: "A", value: "1" }]);
        assert.equal(values.postgresql.backup.enabled, true);
    });

    it("leaves the backup alone when postgresql is disabled with an accepted risk", () => {
        const spec = resolveWithWorker({ elements: { postgresql: { enabled: false, acceptRisk: true, riskReason: "external managed database" } } });
        assert.equal(releaseValues(spec).postgresql, undefined);
    });
});
