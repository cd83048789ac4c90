import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { ColdStorage, ColdStorageArgs } from "../../components/cold-storage";
import { FORBIDDEN_WRITER_ACTIONS } from "../../policies/rules/backup-writer-cannot-delete";
import { denyInsecureTransportPolicy } from "../../components/cold-storage/policy-documents";
import { CATALOG, elementPrefix } from "../../config/catalog";
import { resolveColdStorage } from "../../config/cold-storage/resolve";
import { deriveLifecycleRule } from "../../config/cold-storage/lifecycle-derive";
import { ElementSpec } from "../../config/spec";
import { actionsOverlap } from "../../policies/lib/iam-statements";
import { ELEMENTS, ElementName } from "../../contracts/elements";
import { backupWriterCannotDelete } from "../../policies/rules/backup-writer-cannot-delete";
import { coldStorageHardened } from "../../policies/rules/cold-storage-hardened";
import { coldStorageLifecycleValid } from "../../policies/rules/cold-storage-lifecycle-valid";
import { PlanResource } from "../../contracts/preview";

interface Registration extends PlanResource {
    name: string;
    provider: string;
    dependencies: string[];
}

/** Every registration request, as the offline plan records them (tools/plan/run-program.ts). */
const registrations: Registration[] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const elements: ColdStorageArgs["elements"] = [
    {
        element: "postgresql",
        prefix: "postgresql/",
        rule: deriveLifecycleRule({ element: "postgresql", prefix: "postgresql/", criticality: "critical", retentionDays: 365 }),
    },
    { element: "agents", prefix: "agents/", rule: deriveLifecycleRule({ element: "agents", prefix: "agents/", criticality: "moderate", retentionDays: 90 }) },
];

async function deploy(name: string, args: ColdStorageArgs) {
    const storage = new ColdStorage(name, args);
    const outputs = await resolve({
        bucketName: storage.bucketName,
        bucketArn: storage.bucketArn,
        kmsKeyArn: storage.kmsKeyArn,
        prefixes: storage.prefixes,
        writer: storage.writerCredentials,
        roleArn: storage.writerRoleArn,
        secretName: storage.writerSecretName,
        replicaBucketName: storage.replicaBucketName,
        replicaKmsKeyArn: storage.replicaKmsKeyArn,
    });
    // Children nobody awaits (lifecycle, policies) are still in flight: drain the RPC queue.
    await waitForRPCs();
    const resources = registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
    const byName = (suffix: string) => {
        const found = resources.find((r) => r.name === `${name}${suffix}`);
        assert.ok(found, `${name}${suffix} registered (have ${resources.map((r) => r.name).join(", ")})`);
        return found;
    };
    return { outputs, resources, byName };
}

function resolve<T extends Record<string, pulumi.Output<unknown> | undefined>>(outputs: T): Promise<{ [K in keyof T]: unknown }> {
    return new Promise((done) =>
        pulumi.all(Object.values(outputs).map((o) => o ?? pulumi.output(undefined))).apply((values) => {
            done(Object.fromEntries(Object.keys(outputs).map((key, i) => [key, values[i]])) as unknown as { [K in keyof T]: unknown });
        }),
    );
}

/** A policy document as the plan holds it: a JSON string, or an object (the writer's, readable at preview). */
const statementsOf = (policy: unknown) =>
    (typeof policy === "string" ? JSON.parse(policy) : (policy as any)).Statement as {
        Effect: string;
        Action: string | string[];
        Resource?: unknown;
        Condition?: any;
        Principal?: any;
    }[];
/** The runtime drains its RPC queue with it; exported by the module, absent from its .d.ts. */
const waitForRPCs = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
const actionsOf = (policy: unknown) => statementsOf(policy).flatMap((s) => [s.Action].flat());

describe("ColdStorage component", function () {
    let original: any;
    before(() => {
        const monitor = pulumi.runtime.getMonitor() as any;
        original = monitor.registerResource;
        const register = original.bind(monitor);
        monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) =>
            register(request, (error: unknown, response: any) => {
                if (!error) {
                    const urn: string = response.getUrn();
                    registrations.push({
                        urn,
                        name: request.getName(),
                        type: request.getType(),
                        parent: request.getParent() || undefined,
                        provider: request.getProvider(),
                        dependencies: request.getDependenciesList(),
                        props: request.getObject()?.toJavaScript() ?? {},
                    });
                }
                callback(error, response);
            });
    });
    after(() => {
        (pulumi.runtime.getMonitor() as any).registerResource = original;
    });

    describe("defaults: no OIDC, no lock, no replica", () => {
        let deployed: Awaited<ReturnType<typeof deploy>>;
        before(async () => {
            deployed = await deploy("cs-default", { bucketName: "qalita-dr-test", elements, namespace: "qalita" });
        });

        it("outputs the bucket, its key, the prefixes and the writer Secret", () => {
            const { outputs } = deployed;
            assert.equal(outputs.bucketName, "qalita-dr-test");
            assert.equal(outputs.bucketArn, "arn:aws:s3:::qalita-dr-test");
            assert.match(String(outputs.kmsKeyArn), /^arn:aws:kms:/);
            assert.deepEqual(outputs.prefixes, { postgresql: "postgresql/", agents: "agents/" });
            assert.deepEqual(outputs.writer, { kind: "secret", secretName: "qalita-dr-backup-writer", namespace: "qalita" });
            assert.equal(outputs.secretName, "qalita-dr-backup-writer");
            assert.equal(outputs.roleArn, undefined);
            assert.equal(outputs.replicaBucketName, undefined);
        });

        it("registers every child under the component, with deterministic names", () => {
            const children = deployed.resources.filter((r) => r.type !== "qalita-dr:cold-storage:ColdStorage");
            assert.ok(children.length >= 12, children.map((r) => r.name).join(", "));
            for (const child of children) assert.match(child.urn, /qalita-dr:cold-storage:ColdStorage\$/, child.name);
            assert.deepEqual(children.map((r) => r.name).sort(), [
                "cs-default-backup-writer",
                "cs-default-backup-writer-key",
                "cs-default-backup-writer-policy",
                "cs-default-backup-writer-secret",
                "cs-default-bucket",
                "cs-default-bucket-encryption",
                "cs-default-bucket-key",
                "cs-default-bucket-key-alias",
                "cs-default-bucket-lifecycle",
                "cs-default-bucket-ownership",
                "cs-default-bucket-policy",
                "cs-default-bucket-public-access-block",
                "cs-default-bucket-versioning",
            ]);
        });

        it("hardens the bucket: rotated KMS key with bucket keys, versioning, public access blocked, ACLs off, TLS only", () => {
            const { byName } = deployed;
            assert.equal(byName("-bucket").props.forceDestroy, false);
            assert.equal(byName("-bucket").props.objectLockEnabled, false);
            assert.equal(byName("-bucket-key").props.enableKeyRotation, true);
            assert.deepEqual(byName("-bucket-versioning").props.versioningConfiguration, { status: "Enabled" });
            const [encryption] = byName("-bucket-encryption").props.rules;
            assert.equal(encryption.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
            assert.match(encryption.applyServerSideEncryptionByDefault.kmsMasterKeyId, /^arn:aws:kms:.*cs-default-bucket-key$/);
            assert.equal(encryption.bucketKeyEnabled, true);
            const block = byName("-bucket-public-access-block").props;
            assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
            assert.deepEqual(byName("-bucket-ownership").props.rule, { objectOwnership: "BucketOwnerEnforced" });
            assert.deepEqual(JSON.parse(byName("-bucket-policy").props.policy), denyInsecureTransportPolicy("arn:aws:s3:::qalita-dr-test"));
            for (const setting of ["-bucket-versioning", "-bucket-encryption", "-bucket-policy", "-bucket-lifecycle"])
                assert.equal(byName(setting).props.bucket, "qalita-dr-test");
        });

        it("deploys each element's lifecycle rule as derived, after versioning, with the minimum object size explicit", () => {
            const lifecycle = deployed.byName("-bucket-lifecycle");
            assert.deepEqual(lifecycle.props.rules, JSON.parse(JSON.stringify(elements.map((e) => e.rule))));
            assert.equal(lifecycle.props.transitionDefaultMinimumObjectSize, "all_storage_classes_128K");
            assert.ok(lifecycle.dependencies.includes(deployed.byName("-bucket-versioning").urn));
        });

        it("gives the writer user put/get/list on its prefixes and the key, and delivers its key as secret stringData", () => {
            const { byName } = deployed;
            assert.equal(byName("-backup-writer").props.tags["qalita-dr/role"], "backup-writer");
            const policy = byName("-backup-writer-policy").props.policy;
            assert.deepEqual(
                new Set(actionsOf(policy)),
                new Set(["s3:PutObject", "s3:GetObject", "s3:ListBucket", "kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"]),
            );
            const [write, list] = statementsOf(policy);
            assert.deepEqual(write.Resource, ["arn:aws:s3:::qalita-dr-test/postgresql/*", "arn:aws:s3:::qalita-dr-test/agents/*"]);
            assert.deepEqual(list.Condition, { StringLike: { "s3:prefix": ["postgresql/*", "agents/*"] } });
            for (const action of actionsOf(policy))
                for (const forbidden of FORBIDDEN_WRITER_ACTIONS) assert.ok(!actionsOverlap(action, forbidden), `${action} vs ${forbidden}`);
            const secret = byName("-backup-writer-secret").props;
            assert.deepEqual(secret.metadata, {
                name: "qalita-dr-backup-writer",
                namespace: "qalita",
                labels: { "app.kubernetes.io/part-of": "qalita-dr", "app.kubernetes.io/component": "backup-writer" },
            });
            // A secret anywhere makes the whole property secret (DESIGN.md › Testing).
            assert.equal(secret.stringData[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270");
            assert.deepEqual(Object.keys(secret.stringData.value).sort(), ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
        });

        it("passes the pack's three cold-storage rules, which bite once a safeguard is taken out of this very plan", () => {
            const { resources, byName } = deployed;
            for (const rule of [coldStorageHardened, coldStorageLifecycleValid, backupWriterCannotDelete])
                assert.deepEqual(rule.check(resources), [], rule.name);
            const without = (suffix: string) => resources.filter((r) => r !== byName(suffix));
            assert.match(coldStorageHardened.check(without("-bucket-public-access-block"))[0].message, /public access block/);
            const lifecycle = byName("-bucket-lifecycle");
            const tooEarly = {
                ...lifecycle,
                props: { ...lifecycle.props, rules: [{ ...lifecycle.props.rules[0], transitions: [{ days: 10, storageClass: "STANDARD_IA" }] }] },
            };
            assert.equal(coldStorageLifecycleValid.check([...without("-bucket-lifecycle"), tooEarly]).length, 1);
            const policy = byName("-backup-writer-policy");
            const greedy = {
                ...policy,
                props: { ...policy.props, policy: JSON.parse(JSON.stringify(policy.props.policy).replace('"s3:GetObject"', '"s3:*Object"')) },
            };
            assert.match(
                backupWriterCannotDelete.check([...without("-backup-writer-policy"), greedy])[0].message,
                /allows "s3:\*Object", which grants the backup writer s3:Delete\*/,
            );
        });
    });

    describe("IRSA writer, Object Lock and a cross-region replica", () => {
        let deployed: Awaited<ReturnType<typeof deploy>>;
        const oidc = {
            providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-3.amazonaws.com/id/ABC",
            issuer: "https://oidc.eks.eu-west-3.amazonaws.com/id/ABC",
        };
        before(async () => {
            deployed = await deploy("cs-full", {
                bucketName: "qalita-dr-prod",
                elements,
                namespace: "qalita",
                oidc,
                writerServiceAccounts: ["qalita-dr-postgresql-offsite", "qalita-dr-agents-offsite"],
                objectLock: { mode: "GOVERNANCE", days: 30 },
                replicaRegion: "eu-central-1",
                repositoryPrefixes: ["velero/"],
            });
        });

        it("trusts only the named service accounts' tokens for STS, and creates no user, key or Secret", () => {
            const { byName, resources, outputs } = deployed;
            const [trust] = statementsOf(byName("-backup-writer").props.assumeRolePolicy);
            assert.deepEqual(trust.Principal, { Federated: oidc.providerArn });
            assert.equal(trust.Action, "sts:AssumeRoleWithWebIdentity");
            assert.deepEqual(trust.Condition.StringEquals, {
                "oidc.eks.eu-west-3.amazonaws.com/id/ABC:sub": [
                    "system:serviceaccount:qalita:qalita-dr-postgresql-offsite",
                    "system:serviceaccount:qalita:qalita-dr-agents-offsite",
                ],
                "oidc.eks.eu-west-3.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            });
            assert.equal(byName("-backup-writer-policy").type, "aws:iam/rolePolicy:RolePolicy");
            assert.deepEqual(
                resources.filter((r) => /iam\/(user|accessKey)|core\/v1:Secret/.test(r.type)),
                [],
            );
            assert.deepEqual(outputs.writer, { kind: "irsa", roleArn: outputs.roleArn });
            assert.match(String(outputs.roleArn), /^arn:aws:iam::\d{12}:role\//);
        });

        it("locks new versions by default and tags the repository prefixes for the policy pack", () => {
            const { byName } = deployed;
            assert.equal(byName("-bucket").props.objectLockEnabled, true);
            assert.deepEqual(byName("-bucket-object-lock").props.rule, { defaultRetention: { mode: "GOVERNANCE", days: 30 } });
            assert.equal(byName("-bucket").props.tags["qalita-dr/repository-prefixes"], "velero/");
        });

        it("builds the replica with the same hardening, its own key and provider in the replica region", () => {
            const { byName, outputs } = deployed;
            const provider = byName("-replica-provider");
            assert.equal(provider.type, "pulumi:providers:aws");
            assert.equal(provider.props.region, "eu-central-1");
            assert.equal(outputs.replicaBucketName, "qalita-dr-prod-replica");
            assert.notEqual(outputs.replicaKmsKeyArn, outputs.kmsKeyArn);
            for (const suffix of ["", "-key", "-versioning", "-encryption", "-public-access-block", "-ownership", "-policy", "-object-lock", "-lifecycle"]) {
                assert.ok(byName(`-replica${suffix}`).provider.startsWith(provider.urn), `replica${suffix} uses the replica provider`);
            }
            assert.ok(!byName("-bucket").provider.startsWith(provider.urn));
        });

        it("replicates KMS-encrypted objects but not delete markers, after both sides are versioned", () => {
            const { byName } = deployed;
            const replication = byName("-replica-replication");
            const [rule] = replication.props.rules;
            assert.equal(replication.props.bucket, "qalita-dr-prod");
            assert.match(replication.props.role, /^arn:aws:iam::\d{12}:role\/cs-full-replica-replication-role$/);
            assert.equal(rule.destination.bucket, "arn:aws:s3:::qalita-dr-prod-replica");
            assert.match(rule.destination.encryptionConfiguration.replicaKmsKeyId, /cs-full-replica-key$/);
            assert.deepEqual(rule.deleteMarkerReplication, { status: "Disabled" });
            assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
            for (const versioning of ["-bucket-versioning", "-replica-versioning"])
                assert.ok(replication.dependencies.includes(byName(versioning).urn), versioning);
            const actions = actionsOf(byName("-replica-replication-policy").props.policy);
            assert.ok(actions.includes("s3:GetObjectRetention") && !actions.some((a) => /Delete|\*/.test(a)), actions.join(", "));
        });

        it("passes the pack's three cold-storage rules, replica included", () => {
            for (const rule of [coldStorageHardened, coldStorageLifecycleValid, backupWriterCannotDelete])
                assert.deepEqual(rule.check(deployed.resources), [], rule.name);
        });
    });

    it("deploys what the config layer resolves, spread as is into its args", async () => {
        const elementSpecs = Object.fromEntries(
            ELEMENTS.map((element) => [
                element,
                { element, ...CATALOG[element], enabled: CATALOG[element].criticality !== "none", coldStoragePrefix: elementPrefix(element) },
            ]),
        ) as Record<ElementName, ElementSpec>;
        const { spec, problems } = resolveColdStorage(
            { objectLock: { mode: "COMPLIANCE", days: 60 }, transitionDefaultMinimumObjectSize: "varies_by_storage_class" },
            elementSpecs,
            "spec",
        );
        assert.deepEqual(problems, []);
        const { outputs, byName } = await deploy("cs-spec", { ...spec, namespace: "qalita" });
        assert.equal(outputs.bucketName, "qalita-dr-spec");
        assert.deepEqual(outputs.prefixes, { postgresql: "postgresql/", s3: "s3/", agents: "agents/", redis: "redis/" });
        assert.deepEqual(byName("-bucket-lifecycle").props.rules, JSON.parse(JSON.stringify(spec.elements.map((e) => e.rule))));
        assert.equal(byName("-bucket-lifecycle").props.transitionDefaultMinimumObjectSize, "varies_by_storage_class");
        assert.deepEqual(byName("-bucket-object-lock").props.rule, { defaultRetention: { mode: "COMPLIANCE", days: 60 } });
    });

    it("refuses args that would deploy something useless, before registering anything", async () => {
        assert.throws(() => new ColdStorage("cs-empty", { bucketName: "b-empty", elements: [], namespace: "qalita" }), /no element to store/);
        assert.throws(
            () => new ColdStorage("cs-no-sa", { bucketName: "b-no-sa", elements, namespace: "qalita", oidc: { providerArn: "arn", issuer: "x" } }),
            /needs writerServiceAccounts/,
        );
        await waitForRPCs();
        assert.deepEqual(
            registrations.filter((r) => /^cs-(empty|no-sa)/.test(r.name)),
            [],
        );
    });
});
