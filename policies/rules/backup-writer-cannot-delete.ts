/**
 * backup-writer-cannot-delete — the identity copy jobs write backups with can add backups, never
 * destroy them: none of its policies allows deleting objects, changing the lifecycle or the bucket
 * policy, or bypassing Object Lock. Whoever steals a writer credential (it sits in the cluster)
 * must not be able to wipe the backups that are there to recover from them.
 *
 * Writers are marked (contracts/cold-storage.ts): the tag `qalita-dr/role:
 * backup-writer` on the IAM role or user, or `backup-writer` in a resource or IAM name. A policy
 * is the writer's when it is so marked, or attached (`role`/`user` input) to a marked identity;
 * an input unknown at preview falls back to the name convention `<identity resource name>-…`.
 * A customer-managed policy attached to a writer is checked too (found by the name its ARN ends
 * with); any other attached policy is refused: its document is not in the plan.
 * Wildcards are evaluated: an Allow of `s3:Del*`, `s3:*Object` or `*` grants s3:DeleteObject.
 */
import { BACKUP_WRITER, ROLE_TAG, namesBackupWriter } from "../../contracts/cold-storage";
import { actionsOverlap, readPolicyDocument } from "../lib/iam-statements";
import { UNKNOWN, known, urnName, valuesAt } from "../lib/plan-values";
import { RuleDefinition } from "../lib/resources";
import { PlanResource } from "../../contracts/preview";

/** What a writer must never be allowed, as IAM patterns. */
export const FORBIDDEN_WRITER_ACTIONS = ["s3:Delete*", "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy", "s3:BypassGovernanceRetention"];

const IDENTITY_TYPES: Record<string, "role" | "user"> = { "aws:iam/role:Role": "role", "aws:iam/user:User": "user" };
const POLICY_TYPES = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy"];
const ATTACHMENT_TYPES = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
];

export const backupWriterCannotDelete: RuleDefinition = {
    name: "backup-writer-cannot-delete",
    description: "The backup writer identity is never allowed to delete objects, change lifecycle or bucket policy, or bypass Object Lock.",
    enforcementLevel: "mandatory",
    check(resources) {
        const writers = resources.filter((resource) => IDENTITY_TYPES[resource.type] && isMarked(resource));
        const policies = resources.filter((resource) => POLICY_TYPES.includes(resource.type));
        const attachments = resources.filter((resource) => ATTACHMENT_TYPES.includes(resource.type) && attachedTo(resource, writers));
        const attached = new Set<PlanResource>();
        const violations = [];
        for (const attachment of attachments) {
            const arn = known(() => attachment.props.policyArn);
            if (arn === UNKNOWN) continue;
            const policy = policies.find((candidate) => {
                const name = known(() => candidate.props.name);
                return typeof name === "string" && String(arn).endsWith(`/${name}`);
            });
            if (policy) attached.add(policy);
            else
                violations.push({
                    urn: attachment.urn,
                    message: `${urnName(attachment.urn)} attaches ${String(arn)} to the backup writer; that document is not in the plan, so nothing proves it cannot delete backups — give the writer inline policies only`,
                });
        }
        for (const policy of policies) {
            if (attached.has(policy) || isMarked(policy) || attachedTo(policy, writers))
                violations.push(...documentViolations(policy, () => policy.props.policy));
        }
        for (const writer of writers) {
            valuesAt(writer.props, ["inlinePolicies", "policy"]).forEach((_, index) =>
                violations.push(...documentViolations(writer, () => writer.props.inlinePolicies[index].policy)),
            );
            if (valuesAt(writer.props, ["managedPolicyArns"]).length > 0) {
                violations.push({
                    urn: writer.urn,
                    message: `${urnName(writer.urn)}: the backup writer has managedPolicyArns; their documents are not in the plan — give the writer inline policies only`,
                });
            }
        }
        return violations;
    },
};

function isMarked(resource: PlanResource): boolean {
    const tag = valuesAt(resource.props, ["tags", ROLE_TAG])[0];
    const name = known(() => resource.props.name);
    return tag === BACKUP_WRITER || namesBackupWriter(urnName(resource.urn)) || namesBackupWriter(name);
}

/** Whether a policy or attachment names (`role`/`user`/`roles`/`users` input) one of the writers. */
function attachedTo(resource: PlanResource, writers: readonly PlanResource[]): boolean {
    const targets = ["role", "user", "roles", "users"].flatMap((field) => valuesAt(resource.props, [field]));
    return writers.some((writer) => {
        const name = known(() => writer.props.name);
        if (typeof name === "string" && targets.includes(name)) return true;
        // Unknown at preview (an autonamed identity's name output): the resource-name convention.
        return (targets.includes(UNKNOWN) || typeof name !== "string") && urnName(resource.urn).startsWith(`${urnName(writer.urn)}-`);
    });
}

function documentViolations(resource: PlanResource, read: () => unknown): { urn: string; message: string }[] {
    const document = readPolicyDocument(read);
    if (document === UNKNOWN) return [];
    const where = urnName(resource.urn);
    if ("unreadable" in document) return [{ urn: resource.urn, message: `${where}: a backup writer policy must be readable, but ${document.unreadable}` }];
    return document.statements
        .filter((statement) => statement.effect === "Allow")
        .flatMap((statement) => {
            if (statement.inverted) {
                return [
                    {
                        urn: resource.urn,
                        message: `${where} allows NotAction ${JSON.stringify(statement.actions)}, i.e. everything else, deletes included; list the allowed actions in Action instead`,
                    },
                ];
            }
            return statement.actions.flatMap((action) => {
                const granted = FORBIDDEN_WRITER_ACTIONS.filter((forbidden) => actionsOverlap(action, forbidden));
                return granted.length === 0
                    ? []
                    : [
                          {
                              urn: resource.urn,
                              message: `${where} allows "${action}", which grants the backup writer ${granted.join(", ")}; allow only s3:PutObject, s3:GetObject, s3:ListBucket and the KMS key's kms:GenerateDataKey/Decrypt/Encrypt`,
                          },
                      ];
            });
        });
}
