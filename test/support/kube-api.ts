/**
 * A stand-in for the Kubernetes API server, for the drill's report container: HTTPS under a
 * certificate of its own (what the pod's projected ca.crt holds), a bearer token (the pod's
 * ServiceAccount token; anything else is 401), and RBAC evaluated from the Role the stack deploys —
 * a request that no rule allows, in another namespace, or on a path it does not serve is refused
 * 403, as the API server's authorizer does. It serves what drill-report.sh calls: GET, PATCH (JSON
 * merge patch only, else 415) and PUT of a ConfigMap, GET of a CronJob, POST of a core/v1 Event
 * (checked as the API server's validation does for the fields we set). Every request is recorded.
 * Listens on 127.0.0.1 only; stopped by the test.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PolicyRule {
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly verbs: readonly string[];
    readonly resourceNames?: readonly string[];
}

export interface ApiRequest {
    readonly method: string;
    readonly path: string;
    readonly contentType?: string;
    readonly body?: any;
    readonly status: number;
}

export interface KubeApi {
    /** `https://127.0.0.1:<port>`: what DR_KUBE_API names in the test. */
    readonly url: string;
    /** What the pod's projected volume holds (EmulatedPod's `serviceAccount`). */
    readonly serviceAccount: { token: string; caCert: string; namespace: string };
    /** What the Role allows; change it to refuse. */
    rules: readonly PolicyRule[];
    readonly requests: ApiRequest[];
    readonly events: any[];
    configMap(name: string): any | undefined;
    cronJobUid(name: string): string | undefined;
    stop(): Promise<void>;
}

export interface KubeApiOptions {
    readonly namespace: string;
    readonly rules: readonly PolicyRule[];
    /** ConfigMaps that exist (created by the stack, without data). */
    readonly configMaps?: readonly string[];
    /** CronJobs that exist, by name. */
    readonly cronJobs?: readonly string[];
}

const ROUTE = /^\/(?:api\/v1|apis\/(batch)\/v1)\/namespaces\/([^/]+)\/([a-z]+)(?:\/([^/]+))?$/;
const VERBS: Record<string, string> = { GET: "get", PATCH: "patch", PUT: "update", POST: "create", DELETE: "delete" };

export async function startKubeApi(options: KubeApiOptions): Promise<KubeApi> {
    const { key, cert } = selfSignedCertificate();
    const token = randomBytes(24).toString("base64url");
    const namespace = options.namespace;
    const configMaps = new Map<string, any>(
        (options.configMaps ?? []).map((name) => [name, { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, uid: randomUUID() } }]),
    );
    const cronJobs = new Map<string, any>(
        (options.cronJobs ?? []).map((name) => [name, { apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace, uid: randomUUID() } }]),
    );
    const requests: ApiRequest[] = [];
    const events: any[] = [];
    const api = {
        url: "",
        serviceAccount: { token, caCert: cert, namespace },
        rules: options.rules,
        requests,
        events,
        configMap: (name: string) => structuredClone(configMaps.get(name)),
        cronJobUid: (name: string) => cronJobs.get(name)?.metadata.uid,
        stop: async () => {
            server.closeAllConnections();
            await new Promise<void>((done) => server.close(() => done()));
        },
    };

    const handle = (req: IncomingMessage, text: string): { status: number; body: any } => {
        if (req.headers.authorization !== `Bearer ${token}`) return status(401, "Unauthorized", "Unauthorized");
        const [path] = (req.url ?? "").split("?");
        const route = ROUTE.exec(path);
        const verb = VERBS[req.method ?? ""];
        if (!route || !verb) return status(403, "Forbidden", `forbidden: ${req.method} ${path} is not served by the stand-in`);
        const [, group = "", ns, resource, name] = route;
        const verbOf = verb === "get" && !name ? "list" : verb;
        const allowed =
            ns === namespace &&
            api.rules.some(
                (rule) =>
                    rule.apiGroups.includes(group) &&
                    rule.resources.includes(resource) &&
                    rule.verbs.includes(verbOf) &&
                    // A rule naming resources never allows create or list: the name is not known to the authorizer.
                    (!rule.resourceNames?.length || (name !== undefined && rule.resourceNames.includes(name))),
            );
        if (!allowed) {
            return status(
                403,
                "Forbidden",
                `${resource}${name ? ` "${name}"` : ""} is forbidden: User "system:serviceaccount:${namespace}:drill" cannot ${verbOf} resource "${resource}" in API group "${group}" in the namespace "${ns}"`,
            );
        }
        if (resource === "configmaps" && name) return configMapCall(req, verb, name, text);
        if (resource === "cronjobs" && name && verb === "get") {
            return cronJobs.has(name) ? { status: 200, body: cronJobs.get(name) } : status(404, "NotFound", `cronjobs.batch "${name}" not found`);
        }
        if (resource === "events" && !name && verb === "create") return createEvent(text);
        return status(405, "MethodNotAllowed", `${req.method} ${path} is not served by the stand-in`);
    };

    const configMapCall = (req: IncomingMessage, verb: string, name: string, text: string) => {
        const current = configMaps.get(name);
        if (!current) return status(404, "NotFound", `configmaps "${name}" not found`);
        if (verb === "get") return { status: 200, body: current };
        const body = parseJson(text);
        if (body === undefined) return status(400, "BadRequest", "the body is not JSON");
        if (verb === "patch") {
            if (req.headers["content-type"] !== "application/merge-patch+json")
                return status(415, "UnsupportedMediaType", `the stand-in takes merge patches only`);
            configMaps.set(name, mergePatch(current, body));
        } else {
            configMaps.set(name, { ...body, metadata: current.metadata });
        }
        return { status: 200, body: configMaps.get(name) };
    };

    const createEvent = (text: string) => {
        const event = parseJson(text);
        const problems = [
            event?.apiVersion === "v1" && event?.kind === "Event" ? "" : "apiVersion/kind: v1 Event expected",
            event?.metadata?.name || event?.metadata?.generateName ? "" : "metadata.name or generateName: required",
            event?.involvedObject?.namespace === namespace ? "" : "involvedObject.namespace: does not match the event's namespace",
            event?.reason ? "" : "reason: required",
            ["Normal", "Warning"].includes(event?.type) ? "" : "type: Normal or Warning",
        ].filter(Boolean);
        if (problems.length > 0) return status(422, "Invalid", `Event is invalid: ${problems.join("; ")}`);
        const stored = {
            ...event,
            metadata: { ...event.metadata, name: event.metadata.name ?? `${event.metadata.generateName}${randomBytes(3).toString("hex")}`, namespace },
        };
        events.push(stored);
        return { status: 201, body: stored };
    };

    const server = createServer({ key, cert }, (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const { status: code, body } = handle(req, text);
            requests.push({
                method: req.method ?? "",
                path: req.url ?? "",
                contentType: req.headers["content-type"],
                body: parseJson(text) ?? text,
                status: code,
            });
            res.writeHead(code, { "Content-Type": "application/json" }).end(JSON.stringify(body));
        });
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", () => listening()));
    api.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return api;
}

function status(code: number, reason: string, message: string) {
    return { status: code, body: { kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code } };
}

function parseJson(text: string): any {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** RFC 7386. */
function mergePatch(target: any, patch: any): any {
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
    const out = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete out[key];
        else out[key] = mergePatch(out[key], value);
    }
    return out;
}

/** A key and a self-signed certificate for 127.0.0.1 (and the in-cluster name), made by openssl. */
function selfSignedCertificate(): { key: string; cert: string } {
    const dir = mkdtempSync(join(tmpdir(), "qalita-dr-kube-api-"));
    try {
        execFileSync(
            "openssl",
            [
                ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"],
                ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=kube-apiserver"],
                ...["-addext", "subjectAltName=IP:127.0.0.1,DNS:kubernetes.default.svc"],
            ],
            { stdio: "ignore" },
        );
        return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
