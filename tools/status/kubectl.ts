/**
 * The one place `npm run status` talks to the cluster: `kubectl get <resource> -o json`, one call
 * per resource and namespace, through the user's own kubectl and kubeconfig (no client library to
 * configure: whatever kubectl can reach, status can).
 */
import { spawnSync } from "node:child_process";

/** Which cluster to read, as kubectl's own flags and environment choose it. */
export interface KubectlAccess {
    readonly context?: string;
    readonly kubeconfig?: string;
    readonly env: NodeJS.ProcessEnv;
}

/** kubectl could not answer: the message says what to do. */
export class KubectlError extends Error {}

/** The API server does not know the resource: its CRD is not installed. */
export class UnknownResourceError extends KubectlError {}

export const KUBECTL_INSTALL_HINT =
    "kubectl is not on PATH: install it (https://kubernetes.io/docs/tasks/tools/#kubectl; Debian/Ubuntu: the kubectl package of the Kubernetes apt repository, pkgs.k8s.io) and give it this cluster's kubeconfig (KUBECONFIG, ~/.kube/config or --kubeconfig FILE)";

/** The items of `kubectl get <resource> -n <namespace> -o json`, narrowed by a field selector if given. */
export function kubectlList(access: KubectlAccess, resource: string, namespace: string, fieldSelector?: string): any[] {
    const args = ["get", resource, "--namespace", namespace, "--output", "json"];
    if (fieldSelector) args.push("--field-selector", fieldSelector);
    if (access.context) args.push("--context", access.context);
    if (access.kubeconfig) args.push("--kubeconfig", access.kubeconfig);
    // A namespace's Jobs can be many: room for them rather than a truncated JSON.
    const run = spawnSync("kubectl", args, { env: access.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const command = `kubectl ${args.join(" ")}`;
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") throw new KubectlError(KUBECTL_INSTALL_HINT);
    if (run.error) throw new KubectlError(`${command}: ${run.error.message}`);
    if (run.status !== 0) {
        const firstLine = run.stderr.split("\n").find((line) => line.trim() !== "") ?? `exit ${run.status}, nothing on stderr`;
        const ErrorType = /doesn't have a resource type/.test(run.stderr) ? UnknownResourceError : KubectlError;
        throw new ErrorType(`${firstLine}\n(${command} failed; the cluster is the one of kubectl config current-context, or of --context NAME)`);
    }
    let list: { items?: unknown };
    try {
        list = JSON.parse(run.stdout);
    } catch {
        throw new KubectlError(`${command} printed no JSON: ${run.stdout.slice(0, 200)}`);
    }
    if (!Array.isArray(list?.items)) throw new KubectlError(`${command} printed no List (no items): ${run.stdout.slice(0, 200)}`);
    return list.items;
}
