import { strict as assert } from "node:assert";
import fc from "fast-check";
import { writerPolicy } from "../../components/cold-storage/policy-documents";
import { actionsOverlap } from "../../policies/lib/iam-statements";
import { UNKNOWN_SENTINEL, PlanResource } from "../../contracts/preview";
import { backupWriterCannotDelete } from "../../policies/rules/backup-writer-cannot-delete";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const urn = (type: string, name: string) => `urn:pulumi:dev::qalita-dr::qalita-dr:cold-storage:ColdStorage$${type}::${name}`;
const resource = (type: string, name: string, props: Record<string, any>): PlanResource => ({ urn: urn(type, name), type, props });

const allowed = writerPolicy({
    bucketArn: "arn:aws:s3:::qalita-dr-dev",
    kmsKeyArn: "arn:aws:kms:eu-west-3:123456789012:key/k",
    prefixes: ["postgresql/", "agents/"],
});
const withActions = (...actions: string[]) =>
    JSON.stringify({ ...allowed, Statement: [...allowed.Statement, { Effect: "Allow", Action: actions, Resource: "*" }] });

/** The IRSA writer as the component plans it: a tagged role and its inline policy. */
function writer(policy: unknown, policyName = "cs-backup-writer-policy", role: unknown = "cs-backup-writer"): PlanResource[] {
    return [
        resource(ROLE, "cs-backup-writer", { tags: { "qalita-dr/role": "backup-writer" } }),
        resource(ROLE_POLICY, policyName, { role, name: "backup-writer", policy }),
    ];
}

describe("policy backup-writer-cannot-delete", () => {
    it("passes the component's writer policy, as JSON or as an object", () => {
        assert.deepEqual(backupWriterCannotDelete.check(writer(JSON.stringify(allowed))), []);
        assert.deepEqual(backupWriterCannotDelete.check(writer(allowed)), []);
    });

    it("fails an Allow of a delete, of s3:* or *, naming the policy and what the pattern grants", () => {
        for (const [action, grants] of [
            ["s3:DeleteObject", /s3:Delete\*$/],
            ["s3:*", /s3:Delete\*, s3:PutLifecycleConfiguration, s3:PutBucketPolicy, s3:BypassGovernanceRetention$/],
            ["*", /s3:Delete\*/],
        ] as const) {
            const [violation, ...others] = backupWriterCannotDelete.check(writer(withActions(action)));
            assert.deepEqual(others, [], action);
            assert.equal(violation.urn, urn(ROLE_POLICY, "cs-backup-writer-policy"));
            assert.match(violation.message.split(";")[0], grants, action);
        }
    });

    it("evaluates wildcards and case: s3:Del*, s3:*Object, S3:deleteobjectversion, s3:Put*, s3:Bypass?overnance*", () => {
        for (const action of ["s3:Del*", "s3:*Object", "S3:deleteobjectversion", "s3:Put*", "s3:Bypass?overnance*", "s3:PutLifecycleConfiguration"]) {
            assert.equal(backupWriterCannotDelete.check(writer(withActions(action))).length, 1, action);
        }
        for (const action of ["s3:Get*", "s3:PutObject*", "s3:List*"])
            assert.deepEqual(backupWriterCannotDelete.check(writer(withActions(action))), [], action);
    });

    it("fails NotAction, a secret document and an unreadable one", () => {
        const notAction = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "s3:DeleteObject", Resource: "*" }] });
        assert.match(backupWriterCannotDelete.check(writer(notAction))[0].message, /NotAction .* everything else/);
        assert.match(backupWriterCannotDelete.check(writer("[secret]"))[0].message, /secret/);
        assert.match(backupWriterCannotDelete.check(writer("{not json"))[0].message, /not JSON/);
    });

    it("finds writer policies by tag, by name and by the identity they are attached to", () => {
        const greedy = withActions("s3:*");
        // Neither the policy's resource name nor its IAM name says writer: its role does.
        const byRole = [
            resource(ROLE, "copy", { name: "copy-role", tags: { "qalita-dr/role": "backup-writer" } }),
            resource(ROLE_POLICY, "inline", { role: "copy-role", policy: greedy }),
        ];
        assert.equal(backupWriterCannotDelete.check(byRole).length, 1);
        // The role's name is unknown at preview: the resource-name convention links them.
        const byConvention = [
            resource(ROLE, "copy", { tags: { "qalita-dr/role": "backup-writer" } }),
            resource(ROLE_POLICY, "copy-inline", { role: UNKNOWN_SENTINEL, policy: greedy }),
        ];
        assert.equal(backupWriterCannotDelete.check(byConvention).length, 1);
        const managed = resource("aws:iam/policy:Policy", "app-backup-writer", { policy: greedy });
        assert.equal(backupWriterCannotDelete.check([managed]).length, 1);
        const inlineOnRole = resource(ROLE, "cs-backup-writer", { inlinePolicies: [{ name: "x", policy: greedy }] });
        assert.equal(backupWriterCannotDelete.check([inlineOnRole]).length, 1);
    });

    it("refuses managed policies attached to a writer, and checks a customer-managed one it can read", () => {
        const attach = (policyArn: string) =>
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cs-backup-writer-s3", { role: "cs-backup-writer-role", policyArn });
        const role = resource(ROLE, "cs-backup-writer", { name: "cs-backup-writer-role" });
        assert.match(
            backupWriterCannotDelete.check([role, attach("arn:aws:iam::aws:policy/AmazonS3FullAccess")])[0].message,
            /AmazonS3FullAccess to the backup writer/,
        );
        const ours = resource("aws:iam/policy:Policy", "shared", { name: "shared-s3", policy: withActions("s3:DeleteObject") });
        assert.match(
            backupWriterCannotDelete.check([role, ours, attach("arn:aws:iam::123456789012:policy/shared-s3")])[0].message,
            /shared allows "s3:DeleteObject"/,
        );
    });

    it("leaves other identities' policies alone and does not judge documents unknown at preview", () => {
        const admin = [resource(ROLE, "admin", { name: "admin" }), resource(ROLE_POLICY, "admin-policy", { role: "admin", policy: withActions("*") })];
        assert.deepEqual(backupWriterCannotDelete.check(admin), []);
        assert.deepEqual(backupWriterCannotDelete.check(writer(UNKNOWN_SENTINEL)), []);
    });
});

describe("actionsOverlap", () => {
    const glob = (pattern: string) =>
        new RegExp(
            `^${pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".")}$`,
            "i",
        );

    it("against a concrete action, is the IAM wildcard match (generated)", () => {
        const part = fc.string({ unit: fc.constantFrom("s", "3", ":", "D", "e", "l", "t", "O", "b", "j"), maxLength: 8 });
        const pattern = fc.array(fc.oneof(part, fc.constant("*"), fc.constant("?")), { maxLength: 5 }).map((parts) => parts.join(""));
        fc.assert(
            fc.property(pattern, part, (p, action) => actionsOverlap(p, action) === glob(p).test(action)),
            { numRuns: 2000 },
        );
    });

    it("between two patterns, is symmetric and true whenever some action matches both (generated witnesses)", () => {
        const token = fc.constantFrom("s3:", "Delete", "Object", "Put", "*", "?", "Get");
        const pattern = fc.array(token, { maxLength: 4 }).map((parts) => parts.join(""));
        fc.assert(
            fc.property(pattern, pattern, fc.array(fc.constantFrom("s3:", "Delete", "Object", "Put", "Get", "x"), { maxLength: 5 }), (a, b, witness) => {
                const action = witness.join("");
                if (glob(a).test(action) && glob(b).test(action)) assert.ok(actionsOverlap(a, b), `${a} ∩ ${b} ∋ ${action}`);
                assert.equal(actionsOverlap(a, b), actionsOverlap(b, a));
            }),
            { numRuns: 2000 },
        );
        assert.ok(actionsOverlap("s3:Del*", "s3:*Object") && !actionsOverlap("s3:Get*", "s3:Delete*") && !actionsOverlap("s3:PutObject?", "s3:PutObject"));
    });
});
