/**
 * Zod pieces every config area uses, defined once so that a key means the same thing — and its
 * error says the same thing — wherever it appears.
 */
import { z } from "zod";

/** A whole number of days ≥ 1. */
export const days = (example: number) =>
    z
        .number({ error: `write a whole number of days, e.g. ${example}` })
        .int({ error: "write a whole number of days" })
        .positive({ error: "write a number of days ≥ 1" });

/** A storage size as Kubernetes writes it (Mi, Gi, Ti). */
export const quantity = (example: string) => z.string().regex(/^[0-9]+(Mi|Gi|Ti)$/, { error: `write a Kubernetes quantity, e.g. "${example}"` });

/** Namespaces and a few other names: a DNS label (RFC 1123), at most 63 characters. */
export const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Names of most Kubernetes objects (Secrets, PVCs, classes…): a DNS subdomain. */
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const objectName = (what: string) =>
    z.string({ error: `write the ${what}'s name` }).regex(DNS_SUBDOMAIN, { error: `write the ${what}'s name: lowercase letters, digits, "-" and "."` });
