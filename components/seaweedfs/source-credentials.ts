/**
 * How the SeaweedFS copy authenticates to the SeaweedFS S3 gateway (the script's
 * DR_SOURCE_ACCESS_KEY_ID / DR_SOURCE_SECRET_ACCESS_KEY, taken from a Secret by secretKeyRef).
 *
 * The copy lists buckets and objects, which SeaweedFS grants with its "List" action
 * (weed/s3api: ListObjectsV2 needs ACTION_LIST), then reads them ("Read"). QALITA's chart writes
 * two identities into `seaweedfs-s3-secret`'s `seaweedfs_s3_config`: anvAdmin (Admin, Read, Write…)
 * and anvReadOnly (Read only: it cannot list, so the copy would fail). The same Secret also holds
 * each identity's keys under plain keys, so the default takes anvAdmin's from there — the script
 * only ever reads from the source. Point `secret` at another Secret to use an identity limited to
 * Read + List, or where a chart version stores those keys base64-encoded a second time.
 */
import { SecretEnv } from "../jobs/pod";

export type SeaweedfsSourceCredentials =
    | { readonly kind: "secret"; readonly secretName: string; readonly accessKeyIdKey: string; readonly secretAccessKeyKey: string }
    /** SeaweedFS S3 without enableAuth. */
    | { readonly kind: "anonymous" };

export const QALITA_S3_SECRET: SeaweedfsSourceCredentials = {
    kind: "secret",
    secretName: "seaweedfs-s3-secret",
    accessKeyIdKey: "admin_access_key_id",
    secretAccessKeyKey: "admin_secret_access_key",
};

export function sourceSecretEnv(credentials: SeaweedfsSourceCredentials): SecretEnv[] {
    if (credentials.kind === "anonymous") return [];
    return [
        { name: "DR_SOURCE_ACCESS_KEY_ID", secretName: credentials.secretName, key: credentials.accessKeyIdKey },
        { name: "DR_SOURCE_SECRET_ACCESS_KEY", secretName: credentials.secretName, key: credentials.secretAccessKeyKey },
    ];
}
