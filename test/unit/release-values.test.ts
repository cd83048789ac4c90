import { strict as assert } from "node:assert";
import { releaseValues } from "../../components/qalita-release/values";
import { formatPath, leafPaths } from "../../tools/upstream/facts";
import { resolveWithWorker } from "../support/config";
import { upstreamValues } from "../support/upstream-facts";

// The upstream values files' keys, as derived into test/fixtures/upstream/ (npm run derive-upstream).
const bitnami = upstreamValues("bitnami-postgresql-12.12.10.values.yaml");
const qalita = upstreamValues("qalita-2.11.6.values.yaml");

describe("QALITA release values", () => {
    it("only sets postgresql keys that exist in Bitnami postgresql 12.12.10", () => {
        const values = releaseValues(resolveWithWorker({ elements: { postgresql: { dump: { storageClass: "fast" } } } }));
        const paths = leafPaths((values as any).postgresql);
        assert.ok(paths.length > 5);
        for (const path of paths) assert.ok(bitnami.has(path), `postgresql.${formatPath(path)} is not a Bitnami 12.12.10 key`);
    });

    it("only sets other keys that exist in QALITA 2.11.6", () => {
        const { postgresql, ...others } = releaseValues(resolveWithWorker({})) as any;
        assert.ok(postgresql);
        const paths = leafPaths(others);
        assert.ok(paths.some((path) => formatPath(path) === "worker.pvc.enabled"));
        for (const path of paths) assert.ok(qalita.has(path), `${formatPath(path)} is not a QALITA 2.11.6 key`);
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
        const spec = resolveWithWorker({
            releaseValues: { worker: { enabled: true, replicaCount: 2 }, backend: { deployment: { extraEnv: [{ name: "A", value: "1" }] } } },
        });
        const values = releaseValues(spec) as any;
        assert.deepEqual(values.worker.replicaCount, 2);
        assert.deepEqual(values.worker.pvc, { enabled: true, storageSize: "10Gi" });
        // The token reaches the worker from its Secret, after the chart's literal one.
        assert.deepEqual(values.worker.deployment.extraEnv, [
            { name: "QALITA_WORKER_TOKEN", valueFrom: { secretKeyRef: { name: "qalita-worker-token", key: "token" } } },
        ]);
        assert.deepEqual(values.backend.deployment.extraEnv, [{ name: "A", value: "1" }]);
        assert.equal(values.postgresql.backup.enabled, true);
    });

    it("leaves the backup alone when postgresql is disabled with an accepted risk", () => {
        const spec = resolveWithWorker({ elements: { postgresql: { enabled: false, acceptRisk: true, riskReason: "external managed database" } } });
        assert.equal(releaseValues(spec).postgresql, undefined);
    });
});
