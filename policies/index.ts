// The CrossGuard pack. Constructing PolicyPack starts a gRPC server, so this file does nothing
// else: tests and the offline checker import the rules from ./rules instead. The pack imports
// only ./lib, ./rules and ../contracts — never the stack's config/ or components/ (enforced by
// test/unit/dependencies.test.ts).
import { PolicyPack } from "@pulumi/policy";
import { toStackPolicies } from "./lib/crossguard";
import { RULES } from "./rules";

new PolicyPack("qalita-dr", { policies: RULES.flatMap(toStackPolicies) });
