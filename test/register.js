// ts-node for the tests and the tools they spawn, with swc as the transpiler (type-checking is
// `npm run typecheck`'s job): half the start-up time of TypeScript's own transpiler. Kept out of
// tsconfig.json so that `pulumi up` compiles the program as Pulumi's language host does.
require("ts-node").register({ swc: true });
