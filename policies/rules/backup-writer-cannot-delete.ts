/**
 * backup-writer-cannot-delete — the identity copy jobs write backups with can add backups, never
 * destroy them: none of its policies allows deleting objects, changing the lifecycle or the bucket
 * policy, or bypassing Object Lock. Whoever steals a writer credential (it sits in the cluster)
 * must not be able to wipe the backups that are there to recover from them.
 *
 * Writers and their policies are found as policies/lib/backup-writer.ts says (tag, name, attachment).
 * A customer-managed policy attached to a writer is checked too (found by the name its ARN ends
 * with); any other attached policy is refused: its document is not in the plan.
 * Wildcards are evaluated: an Allow of `s3:Del*`, `s3:*Object` or `*` grants s3:DeleteObject.
 */
import { backupWriters } from "../lib/backup-writer";
import { actionsOverlap, readPolicyDocument } from "../lib/iam-statements";
import { UNKNOWN, urnName, valuesAt } from "../lib/plan-values";
import { RuleDefinition } from "../lib/resources";
import { PlanResource } from "../../contracts/preview";

/** What a writer must never be allowed, as IAM patterns. */
export const FORBIDDEN_WRITER_ACTIONS = ["s3:Delete*", "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy", "s3:BypassGovernanceRetention"];

export const backupWriterCannotDelete: RuleDefinition = {
    name: "backup-writer-cannot-delete",
    description: "The backup writer identity is never allowed to delete objects, change lifecycle or bucket policy, or bypass Object Lock.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediation:
        "Give the backup writer (tag qalita-dr/role: backup-writer) inline policies allowing only s3:PutObject, s3:GetObject and s3:ListBucket on its prefixes and kms:GenerateDataKey/Decrypt/Encrypt on the bucket's key: no s3:Delete*, s3:PutLifecycleConfiguration, s3:PutBucketPolicy, s3:BypassGovernanceRetention, wildcard or NotAction, and no managed or attached policy whose document is not in the plan. Old backups expire through the bucket's lifecycle, never through the writer.",
    check(resources) {
        const writers = backupWriters(resources);
        return [
            ...writers.foreignAttachments.map(({ attachment, arn }) => ({
                urn: attachment.urn,
                message: `${urnName(attachment.urn)} attaches ${String(arn)} to the backup writer; that document is not in the plan, so nothing proves it cannot delete backups — give the writer inline policies only`,
            })),
            ...writers.documents.flatMap(({ resource, read }) => documentViolations(resource, read)),
            ...writers.identities
                .filter((writer) => valuesAt(writer.props, ["managedPolicyArns"]).length > 0)
                .map((writer) => ({
                    urn: writer.urn,
                    message: `${urnName(writer.urn)}: the backup writer has managedPolicyArns; their documents are not in the plan — give the writer inline policies only`,
                })),
        ];
    },
};

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
