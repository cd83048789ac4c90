/**
 * Runs `index.ts` on the Pulumi mock runtime and records every registration as a step shaped
 * like `pulumi preview --json`'s. Records parents from the registration requests themselves:
 * mock resource args carry no URN or parent.
 */
import * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { mocks } from "./mocks";
import { blindProperties } from "./secrets";
import { StackConfig } from "./stack-config";

export interface PlanStep {
    readonly op: "create";
    readonly urn: string;
    readonly newState: {
        readonly urn: string;
        readonly custom: boolean;
        readonly type: string;
        readonly inputs: Record<string, unknown>;
        readonly parent?: string;
        readonly outputs?: Record<string, unknown>;
    };
}

interface Registration {
    urn: string;
    type: string;
    custom: boolean;
    parent?: string;
    inputs: Record<string, unknown>;
}

export async function runProgram(programPath: string, stack: string, config: StackConfig): Promise<PlanStep[]> {
    await pulumi.runtime.setMocks(mocks, config.project, stack, true);
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const registrations = recordRegistrations();
    await pulumi.runtime.runInPulumiStack(async () => import(programPath));
    // Let every pending registration and output settle before reading the monitor.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { state: unknown }> };
    return registrations.map((registration) => {
        const outputs = registration.type === "pulumi:pulumi:Stack" ? stackOutputs(monitor.resources.get(registration.urn)?.state) : undefined;
        return {
            op: "create",
            urn: registration.urn,
            newState: {
                urn: registration.urn,
                custom: registration.custom,
                type: registration.type,
                inputs: blindProperties(registration.inputs),
                ...(registration.parent ? { parent: registration.parent } : {}),
                ...(outputs ? { outputs } : {}),
            },
        };
    });
}

function recordRegistrations(): Registration[] {
    const registrations: Registration[] = [];
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) => {
        register(request, (error: unknown, response: any) => {
            if (!error) {
                registrations.push({
                    urn: response.getUrn(),
                    type: request.getType(),
                    custom: request.getCustom(),
                    parent: request.getParent() || undefined,
                    inputs: (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                });
            }
            callback(error, response);
        });
    };
    return registrations;
}

/** The Stack's registered outputs: a protobuf Struct after registerResourceOutputs. */
function stackOutputs(state: unknown): Record<string, unknown> {
    const plain = state instanceof structproto.Struct ? state.toJavaScript() : ((state as Record<string, unknown> | undefined) ?? {});
    return blindProperties(plain as Record<string, unknown>);
}
