/**
 * Pure construction of the PostgreSQL restore drill's CronJob: drill.sh (the file the tests run)
 * restores the newest complete dump — fetched from cold storage first by drill-fetch.sh, or read
 * from the dump PVC — into a throwaway PostgreSQL inside its own pod, on the release's image, and
 * checks it (docs/drills.md). Nothing reaches the release's PostgreSQL; no Service exposes the
 * throwaway server, which listens on a Unix socket in its scratch volume only.
 *
 * The drill is the last init container: it leaves its outcome in a small volume and exits 0, and
 * the one container, `report` (drill-report.sh, on the curl image: the PostgreSQL image has no
 * HTTP client), writes it to the status ConfigMap, emits an Event on the CronJob, pings the
 * heartbeat and exits with the drill's code — so the Job succeeds or fails as the drill did, and a
 * failed drill is reported too. Only `report` gets the ServiceAccount's token (a projected volume
 * of its own: the pod keeps automountServiceAccountToken false), and the Role of
 * drill-status-spec.ts lets it do only that.
 */
import { STARTING_DEADLINE_HOURS } from "../../config/dump-timing";
import { drillCronJobName, drillStatusConfigMapName } from "../../contracts/names";
import { dumpClaimName, type ResolvedImage } from "../../contracts/qalita-chart";
import { jobSpec, PodEnv, scriptContainer, SecretEnv, SERVICE_ACCOUNT_MOUNT, serviceAccountTokenVolume } from "../jobs/pod";
import { IMAGES } from "../jobs/pod-security";
import { heartbeatSecretEnv } from "../monitoring/heartbeat-spec";
import { DUMP_MOUNT, besideRunningDump } from "./offsite-spec";
import { BITNAMI_GROUP, RESTORE_DEADLINE_HOURS } from "./restore-job-spec";

/** Where the fetched dump lands (cold source), read-only to the drill container. */
const FETCH_MOUNT = "/dump";
/** The throwaway server's data, socket and logs. */
const SERVER_MOUNT = "/drill";
/** The drill's outcome, for the report container. */
const REPORT_MOUNT = "/report";
/** In-cluster address of the API server (the Service every cluster has). */
export const KUBE_API_URL = "https://kubernetes.default.svc";

export interface DrillCronJobArgs {
    readonly labels: Record<string, string>;
    readonly release: string;
    /** The release's PostgreSQL image and pull secrets: the server, restore.sh and pg_amcheck of the very version restored into. */
    readonly image: ResolvedImage;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    /** UTC cron. */
    readonly schedule: string;
    readonly source: "cold" | "pvc";
    /** sizeLimit of each scratch volume: the fetched dump, the throwaway server's data. */
    readonly scratchSize: string;
    /** Cold source: bucket settings and credentials for fetch-dump.sh (reads only). */
    readonly cold?: { readonly env: PodEnv; readonly secretEnv: readonly SecretEnv[] };
    readonly pushgatewayUrl?: string;
}

export function drillCronJobSpec(args: DrillCronJobArgs) {
    const fromCold = args.source === "cold";
    if (fromCold && !args.cold) throw new Error("a drill from cold storage needs the cold-storage destination");
    const fetch = fromCold
        ? [
              scriptContainer({
                  name: "fetch",
                  script: "drill-fetch.sh",
                  env: { ...args.cold!.env, DR_FETCH_DIR: FETCH_MOUNT },
                  secretEnv: args.cold!.secretEnv,
                  mounts: [{ name: "dump", mountPath: FETCH_MOUNT }],
              }),
          ]
        : [];
    const drill = scriptContainer({
        name: "drill",
        // initdb, pg_ctl, pg_restore and pg_amcheck of the release's own PostgreSQL; no rclone needed.
        image: args.image.image,
        rclone: false,
        script: "drill.sh",
        env: {
            DR_DRILL_SOURCE: args.source,
            DR_DRILL_DIR: SERVER_MOUNT,
            ...(fromCold ? { DR_FETCH_DIR: FETCH_MOUNT } : { PGDUMP_DIR: DUMP_MOUNT }),
            ...(args.pushgatewayUrl ? { DR_PUSHGATEWAY_URL: args.pushgatewayUrl } : {}),
            DR_DRILL_REPORT_DIR: REPORT_MOUNT,
        },
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
        mounts: [
            { name: "server", mountPath: SERVER_MOUNT },
            fromCold ? { name: "dump", mountPath: FETCH_MOUNT, readOnly: true } : { name: "dumps", mountPath: DUMP_MOUNT, readOnly: true },
            { name: "report", mountPath: REPORT_MOUNT },
        ],
    });
    const report = scriptContainer({
        name: "report",
        image: IMAGES.curl,
        shell: "sh",
        rclone: false,
        script: "drill-report.sh",
        env: {
            DR_DRILL_REPORT_DIR: REPORT_MOUNT,
            DR_DRILL_ELEMENT: "postgresql",
            DR_STATUS_CONFIGMAP: drillStatusConfigMapName(args.release),
            DR_DRILL_CRONJOB: drillCronJobName(args.release),
            DR_KUBE_API: KUBE_API_URL,
            DR_SERVICE_ACCOUNT_DIR: SERVICE_ACCOUNT_MOUNT,
        },
        secretEnv: [heartbeatSecretEnv(args.release)],
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
        mounts: [
            { name: "report", mountPath: REPORT_MOUNT, readOnly: true },
            { name: "kube-api-access", mountPath: SERVICE_ACCOUNT_MOUNT, readOnly: true },
        ],
    });
    return {
        schedule: args.schedule,
        // A drill still running when the next is due is not doubled; a missed one still runs.
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: STARTING_DEADLINE_HOURS * 3600,
        successfulJobsHistoryLimit: 3,
        // Failed drills stay for their logs.
        failedJobsHistoryLimit: 3,
        jobTemplate: {
            metadata: { labels: args.labels },
            spec: jobSpec({
                labels: args.labels,
                // A failed drill is a finding, not a hiccup to retry: it is reported, and a human reads it.
                backoffLimit: 0,
                activeDeadlineSeconds: RESTORE_DEADLINE_HOURS * 3600,
                pod: {
                    serviceAccountName: args.serviceAccountName,
                    configMapName: args.configMapName,
                    imagePullSecrets: args.image.pullSecrets,
                    // Dumps on the PVC are group-readable by Bitnami's fsGroup.
                    supplementalGroups: fromCold ? [] : [BITNAMI_GROUP],
                    // The dump PVC is ReadWriteOnce: beside a running dump, if any.
                    affinity: fromCold ? undefined : besideRunningDump(args.release),
                    initContainers: [...fetch, drill],
                    containers: [report],
                    volumes: [
                        { name: "server", emptyDir: { sizeLimit: args.scratchSize } },
                        fromCold
                            ? { name: "dump", emptyDir: { sizeLimit: args.scratchSize } }
                            : { name: "dumps", persistentVolumeClaim: { claimName: dumpClaimName(args.release), readOnly: true } },
                        { name: "report", emptyDir: { sizeLimit: "16Mi" } },
                        serviceAccountTokenVolume("kube-api-access"),
                    ],
                },
            }),
        },
    };
}
