/**
 * The backup writer — the identity copy jobs write backups with — and the policy documents it
 * gets, as a plan holds them. Writers are marked (contracts/cold-storage.ts): the tag
 * `qalita-dr/role: backup-writer` on the IAM role or user, or `backup-writer` in a resource or IAM
 * name. A policy is the writer's when it is so marked, or attached (`role`/`user` input) to a
 * marked identity; an input unknown at preview falls back to the name convention `<identity
 * resource name>-…`. A customer-managed policy attached to a writer counts too (found by the name
 * its ARN ends with).
 */
import { BACKUP_WRITER, ROLE_TAG, namesBackupWriter } from "../../contracts/cold-storage";
import { PlanResource } from "../../contracts/preview";
import { UNKNOWN, known, urnName, valuesAt } from "./plan-values";

const IDENTITY_TYPES: Record<string, "role" | "user"> = { "aws:iam/role:Role": "role", "aws:iam/user:User": "user" };
const POLICY_TYPES = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy"];
const ATTACHMENT_TYPES = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
];

/** One policy document a writer gets, read lazily (it may be unknown at preview). */
export interface WriterDocument {
    readonly resource: PlanResource;
    readonly read: () => unknown;
}

export interface BackupWriters {
    readonly identities: readonly PlanResource[];
    /** Every document the plan shows the writers get: their policies, attached policies of the plan, inline policies. */
    readonly documents: readonly WriterDocument[];
    /** Attachments of a policy whose document the plan does not hold. */
    readonly foreignAttachments: readonly { readonly attachment: PlanResource; readonly arn: unknown }[];
}

export function backupWriters(resources: readonly PlanResource[]): BackupWriters {
    const identities = resources.filter((resource) => IDENTITY_TYPES[resource.type] && isMarked(resource));
    const policies = resources.filter((resource) => POLICY_TYPES.includes(resource.type));
    const attachments = resources.filter((resource) => ATTACHMENT_TYPES.includes(resource.type) && attachedTo(resource, identities));
    const attached = new Set<PlanResource>();
    const foreignAttachments: { attachment: PlanResource; arn: unknown }[] = [];
    for (const attachment of attachments) {
        const arn = known(() => attachment.props.policyArn);
        if (arn === UNKNOWN) continue;
        const policy = policies.find((candidate) => {
            const name = known(() => candidate.props.name);
            return typeof name === "string" && String(arn).endsWith(`/${name}`);
        });
        if (policy) attached.add(policy);
        else foreignAttachments.push({ attachment, arn });
    }
    const documents: WriterDocument[] = policies
        .filter((policy) => attached.has(policy) || isMarked(policy) || attachedTo(policy, identities))
        .map((policy) => ({ resource: policy, read: () => policy.props.policy }));
    for (const writer of identities) {
        valuesAt(writer.props, ["inlinePolicies", "policy"]).forEach((_, index) =>
            documents.push({ resource: writer, read: () => writer.props.inlinePolicies[index].policy }),
        );
    }
    return { identities, documents, foreignAttachments };
}

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
