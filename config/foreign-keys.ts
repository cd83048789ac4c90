/**
 * Config keys the stack never reads: Pulumi hands the program every key of the stack file, and a
 * key in another namespace is ignored without a word — `qalita:snapshots` (a typo of the project
 * name) would leave the snapshots at their defaults while the user believes them configured.
 */
import { didYouMean, NAMESPACE } from "./problems";

/** Namespaces something reads: this project, the providers it uses, and Pulumi's own. */
export const READ_NAMESPACES = [NAMESPACE, "aws", "kubernetes", "random", "pulumi"] as const;

/** One warning per key in a namespace nothing reads, with the key it was probably meant to be. */
export function foreignKeyWarnings(keys: readonly string[]): string[] {
    return keys.flatMap((key) => {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? "" : key.slice(0, colon);
        if ((READ_NAMESPACES as readonly string[]).includes(namespace)) return [];
        const meant = didYouMean(namespace, READ_NAMESPACES) ?? NAMESPACE;
        return [`config key "${key}" is in namespace "${namespace}", which nothing in this stack reads; did you mean "${meant}:${key.slice(colon + 1)}"?`];
    });
}
