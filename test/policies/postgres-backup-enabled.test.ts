import { strict as assert } from "node:assert";
import { PlanResource } from "../../contracts/preview";
import { postgresBackupEnabled } from "../../policies/rules/postgres-backup-enabled";

function release(values: unknown, chart = "qalita"): PlanResource {
    return { urn: "urn:pulumi:dev::qalita-dr::kubernetes:helm.sh/v3:Release::qalita-release", type: "kubernetes:helm.sh/v3:Release", props: { chart, values } };
}

const backup = (schedule?: string) => ({ postgresql: { backup: { enabled: true, cronjob: schedule ? { schedule } : {} } } });

describe("policy postgres-backup-enabled", () => {
    it("passes a daily or more frequent dump, and the chart's @daily default", () => {
        for (const schedule of ["0 1 * * *", "0 */6 * * *", undefined]) {
            assert.deepEqual(postgresBackupEnabled.check([release(backup(schedule))]), [], String(schedule));
        }
    });

    it("fails when the backup is off, naming the release and the key", () => {
        const [violation] = postgresBackupEnabled.check([release({ postgresql: { backup: { enabled: false } } })]);
        assert.match(violation.urn!, /Release::qalita-release$/);
        assert.match(violation.message, /values\.postgresql\.backup\.enabled is not true/);
    });

    it("fails a schedule with more than 24 h between dumps", () => {
        const [violation] = postgresBackupEnabled.check([release(backup("0 2 * * 1-5"))]);
        assert.match(violation.message, /up to 72 h between dumps/);
    });

    it("fails a broken schedule and blinded values", () => {
        assert.match(postgresBackupEnabled.check([release(backup("0 2 * *"))])[0].message, /has 4 fields/);
        assert.match(postgresBackupEnabled.check([release("[secret]")])[0].message, /values are secret/);
    });

    it("ignores other charts' releases", () => {
        assert.deepEqual(postgresBackupEnabled.check([release({}, "redis")]), []);
    });
});
