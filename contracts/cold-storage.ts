/**
 * AWS tags and names the policy pack reads to recognise cold-storage resources in a plan — in our
 * offline plan and in a real `pulumi preview` alike, so they are part of the contract.
 */

/** Tag key marking what an IAM identity or policy is for. */
export const ROLE_TAG = "qalita-dr/role";
/** Its value on the identity copy jobs write backups with, and on that identity's policies. */
export const BACKUP_WRITER = "backup-writer";

/** Tag key naming the stack component a cold-storage resource belongs to. */
export const COMPONENT_TAG = "qalita-dr/component";

/**
 * Tag on a bucket listing (space-separated: tag values can't hold commas) the prefixes where a
 * kopia/restic/Velero repository lives, so lifecycle rules can be checked against them.
 */
export const REPOSITORY_PREFIXES_TAG = "qalita-dr/repository-prefixes";

/**
 * Tag on a backup bucket listing (space-separated) the key prefixes it receives backups under —
 * the source bucket and its replica alike. With the backup writer's policy it tells the policy pack
 * which buckets hold backups, so that each prefix is checked for a lifecycle that expires them.
 */
export const BACKUP_PREFIXES_TAG = "qalita-dr/backup-prefixes";

/**
 * The key prefix of an element's offsite copies in the bucket (`postgresql/`): the writer may
 * write only there, and the element's lifecycle rule covers it.
 */
export function elementPrefix(element: string): string {
    return `${element}/`;
}

/** Whether a resource name or tag says "backup writer" — the writer policy rule's marker. */
export function namesBackupWriter(name: unknown): boolean {
    return typeof name === "string" && name.includes(BACKUP_WRITER);
}
