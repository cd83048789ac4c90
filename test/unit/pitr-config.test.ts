// `elements.postgresql.pitr` and `restore.postgresql` with `source: pitr` → DrSpec.postgresqlPitr,
// through the whole resolver: off by default, every mistake reported at its full key with what to write.
import { strict as assert } from "node:assert";
import { pitrReleaseValues } from "../../components/postgresql/pitr/values";
import { formatPath, leafPaths } from "../../tools/upstream/facts";
import { configProblems, resolveWithWorker } from "../support/config";
import { upstreamValues } from "../support/upstream-facts";

const PITR = { elements: { postgresql: { pitr: { enabled: true } } } };
const problems = configProblems;

describe("pitr config → DrSpec.postgresqlPitr", () => {
    it("is off by default, and a dump restore resolves as before", () => {
        const spec = resolveWithWorker({ restore: { postgresql: { from: "latest", source: "cold" } } });
        assert.equal(spec.postgresqlPitr, undefined);
        assert.equal(spec.restore.postgresql?.from, "latest");
    });

    it("defaults: daily base backups at 03:00 UTC, 2 kept, a copy every 5 min under postgresql/pitr/, 20Gi, a 2GB slot limit", () => {
        const pitr = resolveWithWorker(PITR).postgresqlPitr!;
        assert.equal(pitr.baseBackupSchedule.utcCron, "0 3 * * *");
        assert.deepEqual(
            [pitr.keepBaseBackups, pitr.copyUtcCron, pitr.coldStoragePrefix, pitr.storageSize, pitr.maxSlotWalKeepSize, pitr.restore],
            [2, "*/5 * * * *", "postgresql/pitr/", "20Gi", "2GB", undefined],
        );
    });

    it("makes commits wait for the receiver only with pitr.synchronous, and never while a restore runs", () => {
        const configuration = (raw: Record<string, unknown>) =>
            (pitrReleaseValues(resolveWithWorker(raw)) as any).postgresql.primary.extendedConfiguration as string;
        const synchronous = { elements: { postgresql: { pitr: { enabled: true, synchronous: true } } } };
        assert.doesNotMatch(configuration(PITR), /synchronous_standby_names/, "off by default: commits never wait");
        assert.match(configuration(synchronous), /^synchronous_standby_names = '"qalita_dr_pitr_receiver"'\nsynchronous_commit = on$/m);
        assert.doesNotMatch(
            configuration({ ...synchronous, restore: { postgresql: { source: "pitr", targetTime: "latest" } } }),
            /synchronous_standby_names/,
            "the receiver is scaled to 0 during a restore: no commit may wait for it",
        );
        assert.equal(resolveWithWorker(synchronous).postgresqlPitr!.synchronous, true);
        assert.deepEqual(problems({ elements: { postgresql: { pitr: { enabled: true, synchronous: "yes" } } } }), [
            "qalita-dr:elements.postgresql.pitr.synchronous: write true or false",
        ]);
    });

    it("resolves a restore to a point in time, from the archive PVC unless told otherwise", () => {
        const restore = (extra: Record<string, unknown>) =>
            resolveWithWorker({ ...PITR, restore: { postgresql: { source: "pitr", targetTime: "2026-03-14T10:26:53+01:00", ...extra } } });
        assert.deepEqual(restore({}).postgresqlPitr!.restore, { targetTime: "2026-03-14T10:26:53+01:00", archive: "pvc" });
        assert.equal(restore({ archive: "cold" }).postgresqlPitr!.restore?.archive, "cold");
        assert.equal(restore({}).restore.postgresql, undefined, "not a dump restore");
    });

    it("sets only keys of Bitnami postgresql 12.12.10's values (or below its empty maps: customMetrics, serviceMonitor.labels), monitoring on or off", () => {
        const bitnami = upstreamValues("bitnami-postgresql-12.12.10.values.yaml");
        for (const monitoring of [false, true]) {
            const values = pitrReleaseValues(resolveWithWorker({ ...PITR, monitoring: { enabled: monitoring } })) as any;
            const paths = leafPaths(values.postgresql);
            assert.ok(paths.length >= 2);
            for (const path of paths) assert.ok(bitnami.has(path), `postgresql.${formatPath(path)} is not a Bitnami 12.12.10 key`);
        }
    });

    it("names the key and what to write for each mistake", () => {
        const found = problems({
            elements: { postgresql: { pitr: { enabled: true, keepBaseBackups: 1, maxSlotWalKeepSize: "2G", copySchedule: "0 0 1 * *" } } },
            restore: { postgresql: { source: "pitr", targetTime: "2026-03-14 09:26", from: "latest" } },
        });
        const at = (key: string, text: RegExp) =>
            assert.ok(
                found.some((p) => p.startsWith(`qalita-dr:${key}: `) && text.test(p)),
                `${key} ${text}\n${found.join("\n")}`,
            );
        at("elements.postgresql.pitr.keepBaseBackups", /at least 2/);
        at("elements.postgresql.pitr.maxSlotWalKeepSize", /"2GB"/);
        at("elements.postgresql.pitr.copySchedule", /copy at least daily/);
        at("restore.postgresql.targetTime", /with its offset/);
        at("restore.postgresql.from", /belongs to a dump restore/);
    });

    it("refuses a point-in-time restore without the archive, a dump restore without a dump id, and values that would replace its pg_hba.conf", () => {
        assert.match(
            problems({ restore: { postgresql: { source: "pitr", targetTime: "latest" } } }).join("\n"),
            /restore\.postgresql\.source: .*pitr\.enabled: true/,
        );
        assert.match(problems({ restore: { postgresql: { source: "pvc" } } }).join("\n"), /restore\.postgresql\.from: write a dump id/);
        assert.match(
            problems({ ...PITR, releaseValues: { worker: { enabled: true }, postgresql: { primary: { pgHbaConfiguration: "local all all trust" } } } }).join(
                "\n",
            ),
            /releaseValues\.postgresql\.primary\.pgHbaConfiguration: .*remove primary\.pgHbaConfiguration/,
        );
        assert.match(
            problems({ elements: { postgresql: { pitr: { enabled: true, baseBackupSchedule: "0 3 1 * *" } } } }).join("\n"),
            /baseBackupSchedule: .*at least weekly/,
        );
    });
});
