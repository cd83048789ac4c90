import { strict as assert } from "node:assert";
import { UNKNOWN_SENTINEL } from "../../contracts/preview";
import { plan, planJson, policy, PROJECT_DIR, STACK_FIXTURES } from "../support/plan-cli";

describe("cold storage in the plan", () => {
    let devPlan: any;
    before(() => {
        devPlan = planJson("dev", PROJECT_DIR);
    });

    const stepsOf = (type: string) => devPlan.steps.filter((step: any) => step.newState.type === type);

    it("plans the hardened bucket with every side resource, and a writer that cannot delete", () => {
        for (const type of [
            "aws:kms/key:Key",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        ])
            assert.equal(stepsOf(type).length, 1, type);
        const [key] = stepsOf("aws:kms/key:Key");
        assert.equal(key.newState.inputs.enableKeyRotation, true);
        // An object document: readable at preview although the key's ARN is not known yet.
        const writer = stepsOf("aws:iam/userPolicy:UserPolicy")[0].newState.inputs.policy;
        assert.equal(writer.Statement.find((s: any) => s.Sid === "UseBucketKey").Resource, UNKNOWN_SENTINEL);
        const actions = writer.Statement.flatMap((statement: any) => [statement.Action].flat());
        assert.ok(!actions.some((action: string) => /Delete|\*/.test(action)), actions.join(", "));
    });

    it("never shows the writer's access key", () => {
        const [secret] = stepsOf("kubernetes:core/v1:Secret").filter((step: any) => step.newState.inputs.metadata.name === "qalita-dr-backup-writer");
        // Unknown at preview (AWS creates the key), and secret once known: never a value.
        assert.ok(["[secret]", UNKNOWN_SENTINEL].includes(secret.newState.inputs.stringData), secret.newState.inputs.stringData);
    });

    it("fails cold-storage-hardened when the public-access block is dropped", () => {
        const edited = {
            ...devPlan,
            steps: devPlan.steps.filter((step: any) => step.newState.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
        };
        const result = policy(["-", "--json"], JSON.stringify(edited));
        assert.equal(result.status, 1);
        assert.ok(
            JSON.parse(result.stdout).violations.some((v: any) => v.policy === "cold-storage-hardened"),
            result.stdout,
        );
    });

    it("fails backup-writer-cannot-delete when the writer may delete", () => {
        const edited = JSON.parse(JSON.stringify(devPlan));
        const step = edited.steps.find((s: any) => s.newState.type === "aws:iam/userPolicy:UserPolicy");
        step.newState.inputs.policy.Statement[0].Action.push("s3:DeleteObject");
        const result = policy(["-", "--json"], JSON.stringify(edited));
        assert.equal(result.status, 1);
        assert.deepEqual([...new Set(JSON.parse(result.stdout).violations.map((v: any) => v.policy))], ["backup-writer-cannot-delete"]);
    });

    it("refuses lifecycle mistakes before anything is planned, naming each", () => {
        const result = plan(["--stack", "bad-tiering", "--config-dir", STACK_FIXTURES]);
        assert.equal(result.status, 1);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /elements\.postgresql\.tiering\[0\]\.afterDays: STANDARD_IA at day 10/);
        assert.match(result.stderr, /elements\.postgresql\.retentionDays: expiration at day 120 is not after the last transition/);
        assert.match(result.stderr, /elements\.s3\.retentionDays: DEEP_ARCHIVE bills at least 180 days/);
    });

    it("prints the estimated monthly cost, tiered against all-STANDARD", () => {
        const result = plan(["--stack", "dev", "--format", "table"]);
        assert.match(result.stdout, /Estimated cold-storage cost/);
        assert.match(result.stdout, /│ postgresql │ 1 GB\s+│ 24 h/);
    });
});
