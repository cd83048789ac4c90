import { strict as assert } from "node:assert";
import { agentsCopyArgs, agentsCopyFiles } from "../../components/agents/offsite-spec";
import { agentsRestoreFiles } from "../../components/agents/restore-job";
import { agentsRestoreJobSpec } from "../../components/agents/restore-job-spec";
import { credentialFilePatterns } from "../../contracts/credential-patterns";
import { copyCronJobSpec } from "../../components/offsite/cronjob-spec";
import { UNKNOWN_SENTINEL, PlanResource } from "../../contracts/preview";
import { excludePatterns, noCredentialFilesInBackups } from "../../policies/rules/no-credential-files-in-backups";

const destination = {
    bucket: "qalita-dr-dev",
    region: "eu-west-3",
    kmsKeyArn: "arn:aws:kms:eu-west-3:111122223333:key/test",
    credentials: { kind: "secret" as const, secretName: "qalita-dr-backup-writer" },
};
const urn = (type: string, name: string) => `urn:pulumi:dev::qalita-dr::${type}::${name}`;
const resource = (type: string, name: string, props: Record<string, any>): PlanResource => ({ urn: urn(type, name), type, props });

/** The agents copy CronJob and restore Job as the components build them, with their ConfigMaps. */
function agentsJobs(): PlanResource[] {
    const copy = agentsCopyArgs({
        namespace: "qalita",
        release: "qalita",
        schedule: "0 4 * * 0",
        destination,
        prefix: "agents/",
        cryptSecretName: "qalita-dr-agents-crypt",
        workerPodLabels: { app: "qalita-worker" },
    });
    return [
        resource("kubernetes:batch/v1:CronJob", "agents-offsite-cronjob", {
            metadata: { name: copy.name, namespace: "qalita" },
            spec: copyCronJobSpec({ ...copy, serviceAccountName: copy.name, configMapName: `${copy.name}-scripts` }),
        }),
        resource("kubernetes:core/v1:ConfigMap", "agents-offsite-scripts", {
            metadata: { name: `${copy.name}-scripts`, namespace: "qalita" },
            data: agentsCopyFiles(),
        }),
        resource("kubernetes:batch/v1:Job", "agents-restore-job", {
            metadata: { name: "qalita-dr-agents-restore-latest", namespace: "qalita" },
            spec: agentsRestoreJobSpec({
                labels: {},
                serviceAccountName: "r",
                configMapName: "qalita-dr-agents-restore-scripts",
                env: {},
                secretEnv: [],
                bandwidthLimit: "20M",
            }),
        }),
        resource("kubernetes:core/v1:ConfigMap", "agents-restore-scripts", {
            metadata: { name: "qalita-dr-agents-restore-scripts", namespace: "qalita" },
            data: agentsRestoreFiles(),
        }),
    ];
}

const edit = (resources: PlanResource[], name: string, change: (props: any) => void) =>
    resources.map((r) => {
        if (!r.urn.endsWith(`::${name}`)) return r;
        const props = JSON.parse(JSON.stringify(r.props));
        change(props);
        return { ...r, props };
    });
const copyContainer = (props: any) => props.spec.jobTemplate.spec.template.spec.containers[0];

describe("policy no-credential-files-in-backups", () => {
    it("passes the agents copy and restore as built, each linked to its own ConfigMap", () => {
        assert.deepEqual(noCredentialFilesInBackups.check(agentsJobs()), []);
        assert.deepEqual(excludePatterns(agentsRestoreFiles()["credential-files.exclude"]).sort(), [...credentialFilePatterns()].sort());
    });

    it("fails a copy whose exclude list misses one credential pattern, naming it", () => {
        const resources = edit(agentsJobs(), "agents-offsite-scripts", (props) => {
            props.data["credential-files.exclude"] = props.data["credential-files.exclude"].replace(/^\.env-\*$/m, "# .env-*");
        });
        const violations = noCredentialFilesInBackups.check(resources);
        assert.equal(violations.length, 1);
        assert.match(violations[0].urn!, /CronJob::agents-offsite-cronjob$/);
        assert.match(violations[0].message, /container copy mounts the worker store and its exclude list misses \.env-\*:/);
    });

    it("fails a job mounting the store without DR_EXCLUDE_FROM, or reading it from elsewhere", () => {
        const noSetting = edit(agentsJobs(), "agents-restore-job", (props) => {
            props.spec.template.spec.containers[0].env = props.spec.template.spec.containers[0].env.filter((e: any) => e.name !== "DR_EXCLUDE_FROM");
        });
        assert.match(noCredentialFilesInBackups.check(noSetting)[0].message, /sets no DR_EXCLUDE_FROM/);
        const outsideConfigMap = edit(agentsJobs(), "agents-offsite-cronjob", (props) => {
            copyContainer(props).env.find((e: any) => e.name === "DR_EXCLUDE_FROM").value = "/tmp/credential-files.exclude";
        });
        assert.match(noCredentialFilesInBackups.check(outsideConfigMap)[0].message, /from no ConfigMap volume/);
        const otherConfigMap = agentsJobs().filter((r) => !r.urn.endsWith("::agents-offsite-scripts"));
        assert.match(noCredentialFilesInBackups.check(otherConfigMap)[0].message, /ConfigMap qalita-dr-agents-offsite-scripts, which is not in this stack/);
        const fromSecret = edit(agentsJobs(), "agents-offsite-cronjob", (props) => {
            copyContainer(props).env.push({ name: "DR_EXCLUDE_FROM", valueFrom: { configMapKeyRef: { name: "x", key: "y" } } });
        });
        assert.match(noCredentialFilesInBackups.check(fromSecret)[0].message, /from a reference/);
    });

    it("links through items and by namespace, so another namespace's ConfigMap does not count", () => {
        const viaItems = edit(
            edit(agentsJobs(), "agents-offsite-cronjob", (props) => {
                props.spec.jobTemplate.spec.template.spec.volumes.find((v: any) => v.name === "scripts").configMap.items = [
                    { key: "list", path: "credential-files.exclude" },
                ];
            }),
            "agents-offsite-scripts",
            (props) => {
                props.data = { list: ".worker*\n" };
            },
        );
        assert.match(noCredentialFilesInBackups.check(viaItems)[0].message, /misses \.env-\*, \.\.env-\*, .*\.current_env\*, .*\.agent\*, .*\.#\.agent\*:/);
        const elsewhere = edit(agentsJobs(), "agents-offsite-scripts", (props) => {
            props.metadata.namespace = "other";
        });
        assert.match(noCredentialFilesInBackups.check(elsewhere)[0].message, /not in this stack/);
    });

    it("ignores jobs that don't mount the worker store, and lists it can't know yet", () => {
        const postgresCopy = edit(agentsJobs(), "agents-offsite-cronjob", (props) => {
            const pod = props.spec.jobTemplate.spec.template.spec;
            pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim.claimName = "qalita-postgresql-pgdumpall";
            copyContainer(props).env = copyContainer(props).env.filter((e: any) => e.name !== "DR_EXCLUDE_FROM");
        });
        assert.deepEqual(noCredentialFilesInBackups.check(postgresCopy), []);
        const unknown = edit(agentsJobs(), "agents-offsite-scripts", (props) => {
            props.data["credential-files.exclude"] = UNKNOWN_SENTINEL;
        });
        assert.deepEqual(noCredentialFilesInBackups.check(unknown), []);
    });
});
