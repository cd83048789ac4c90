/**
 * The dead-man's switch (`monitoring.heartbeatUrl`, docs/monitoring.md › Heartbeat): the offsite
 * copies and the restore drill read the URL from one Secret, optionally — a pod starts whether or
 * not the Secret exists, and pings only when it does. Pure.
 */
import { HEARTBEAT_SECRET_KEY, heartbeatSecretName } from "../../contracts/names";
import type { SecretEnv } from "../jobs/pod";

/** What the scripts read the URL from (components/offsite/scripts/heartbeat.sh, drill-report.sh). */
export const HEARTBEAT_ENV = "DR_HEARTBEAT_URL";

/** The URL as a pod reads it: the variable is unset when the Secret (or its key) does not exist. */
export function heartbeatSecretEnv(release: string): SecretEnv {
    return { name: HEARTBEAT_ENV, secretName: heartbeatSecretName(release), key: HEARTBEAT_SECRET_KEY, optional: true };
}
