/**
 * Under the mock runtime, the Pulumi SDK spends most of a program's time on stack traces nobody
 * reads: one at every registration (where the resource was declared, for the engine's
 * diagnostics) and one on every internal promise (for the report of leaked promises at exit),
 * each frame mapped through ts-node's source maps — over a third of a plan's time. Plans record
 * type, name, parent and inputs only. Tests and the plan server skip them; `pulumi up` and
 * `npm run plan` as users run it never load this file.
 */
import { Resource } from "@pulumi/pulumi";
import * as runtimeDebuggable from "@pulumi/pulumi/runtime/debuggable";

/** Internal to the SDK (not in its typings): every call goes through this exports object. */
type PromiseWrapper = <T>(promise: Promise<T>, context: unknown) => Promise<T>;
const debuggable = runtimeDebuggable as unknown as { debuggablePromise: PromiseWrapper };

(Resource as unknown as { stackTrace: (skip: number) => readonly unknown[] }).stackTrace = () => [];

const debuggablePromise = debuggable.debuggablePromise;
debuggable.debuggablePromise = (promise, context) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return debuggablePromise(promise, context);
    } finally {
        Error.stackTraceLimit = limit;
    }
};
