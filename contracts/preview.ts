/**
 * The preview format: what a planned resource looks like to the policy pack, whichever way it
 * arrived — from the CrossGuard engine during a real preview, from `pulumi preview --json`, or
 * from our offline plan (tools/plan), which writes the same format.
 */

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    /** Inputs as planned (blinded secrets read "[secret]"). */
    readonly props: Record<string, any>;
    readonly parent?: string;
}

/** How a secret reads in a preview: `pulumi preview --json` (and our plan) blind the whole property. */
export const BLINDED = "[secret]";

/** What `pulumi preview --json` writes for an unknown value (the engine's UnknownStringValue). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * How the Pulumi runtime marks a secret value in serialized properties: an object whose
 * SECRET_SIG_KEY is SECRET_SIG_VALUE (the engine's `sig.Secret`).
 */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
