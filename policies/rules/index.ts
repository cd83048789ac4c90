/** Every rule of the pack, in one list the CrossGuard pack and the offline checker share. */
import { RuleDefinition } from "../lib/resources";
import { drPostureComplete } from "./dr-posture-complete";
import { postgresBackupEnabled } from "./postgres-backup-enabled";
import { qalitaSecretKeyPinned } from "./qalita-secret-key-pinned";

export const RULES: readonly RuleDefinition[] = [drPostureComplete, postgresBackupEnabled, qalitaSecretKeyPinned];
