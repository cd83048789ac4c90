/**
 * Which part of the repository may import which: dependencies point one way, and nothing is
 * circular. test/unit/dependencies.test.ts runs this with dependency-cruiser and fails on any
 * violation (`npx depcruise --config .dependency-cruiser.cjs index.ts contracts config components
 * policies tools test bench` shows the same list).
 *
 * The allowed directions (type-only imports count: they couple the code just the same):
 *
 *   contracts/   → nothing in the repository. Pure TypeScript shared by everything below: label
 *                  and tag keys, chart facts, object names, the preview format, schedules, the S3
 *                  lifecycle validator. No Pulumi, no zod, no Node I/O; cron-parser is its one
 *                  npm dependency.
 *   config/      → contracts/ only. Stack config → DrSpec, pure. Within it, config/spec.ts (the
 *                  resolved types) is a leaf every area's schema and resolver may import.
 *   components/  → contracts/, config/ (its types and pure helpers — never the resolver nor the
 *                  Pulumi config reader: components are handed a resolved spec by index.ts).
 *                  components/posture.ts owns the DR posture rows: pure, it reads the DrSpec and
 *                  the snapshot plan (components/snapshots/plan.ts) and reaches no Pulumi module;
 *                  index.ts exports it (drPosture, drWarnings), tools/ print it.
 *   policies/    → contracts/ only (plus its own lib/ and rules/): the pack runs in
 *                  `pulumi preview --policy-pack policies`, beside whatever stack, and judges a
 *                  preview by the same contracts the stack builds it with.
 *   index.ts     → config/, components/, contracts/ (the composition root).
 *   tools/       → anything but test/ (the offline plan runs index.ts, the checker runs the pack).
 *   test/        → anything.
 *   bench/       → anything (it reuses test/support's PostgreSQL harness).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "no-circular",
            severity: "error",
            comment: "No cycle anywhere, without exemption.",
            from: {},
            to: { circular: true },
        },
        {
            name: "config-spec-is-a-leaf",
            severity: "error",
            comment: "config/spec.ts holds the resolved types every area imports: it imports contracts/ only, so no area can cycle through it.",
            from: { path: "^config/spec\\.ts$" },
            to: { path: "^config/" },
        },
        {
            name: "contracts-import-nothing",
            severity: "error",
            comment: "contracts/ is the bottom layer: pure, and depends on nothing else in the repository (npm: cron-parser only).",
            from: { path: "^contracts/" },
            to: { pathNot: ["^contracts/", "^node_modules/cron-parser/"] },
        },
        {
            name: "config-imports-contracts-only",
            severity: "error",
            comment: "config/ resolves stack config into a DrSpec: it may use contracts/, never the layers built on it.",
            from: { path: "^config/" },
            to: { path: ["^components/", "^policies/", "^tools/", "^test/", "^bench/", "^index\\.ts$"] },
        },
        {
            name: "components-import-contracts-and-config",
            severity: "error",
            comment:
                "components/ build resources from contracts/ and config/'s types and pure helpers; the pack, the tools, the tests and the composition root are above them.",
            from: { path: "^components/" },
            to: { path: ["^policies/", "^tools/", "^test/", "^bench/", "^index\\.ts$"] },
        },
        {
            name: "posture-is-pure",
            severity: "error",
            comment:
                "components/posture.ts owns the DR posture rows (stack outputs drPosture and drWarnings, the plan's table): " +
                "pure data from the DrSpec and the snapshot plan. Nothing it imports, directly or not, may reach Pulumi — " +
                "so it can't build resources, and tools/ can print a posture without a Pulumi runtime.",
            from: { path: "^components/posture\\.ts$" },
            to: { path: "^node_modules/@pulumi/", reachable: true },
        },
        {
            name: "components-never-read-config",
            severity: "error",
            comment: "Components are handed a resolved DrSpec (index.ts): they never read Pulumi config nor run the resolver themselves.",
            from: { path: "^components/" },
            to: { path: ["^config/from-pulumi\\.ts$", "^config/resolve\\.ts$"] },
        },
        {
            name: "policies-import-contracts-only",
            severity: "error",
            comment: "The pack judges any stack's preview: it shares contracts/ with the stack and imports nothing of its config or components.",
            from: { path: "^policies/" },
            to: { path: ["^config/", "^components/", "^tools/", "^test/", "^bench/", "^index\\.ts$"] },
        },
        {
            name: "index-imports-config-components-contracts",
            severity: "error",
            comment: "The composition root wires config → components → outputs; it never needs the pack, the tools or the tests.",
            from: { path: "^index\\.ts$" },
            to: { path: ["^policies/", "^tools/", "^test/", "^bench/"] },
        },
        {
            name: "tools-never-import-test",
            severity: "error",
            comment: "tools/ ship with the stack (plan, policy check, adoption helper): they may use anything but the tests.",
            from: { path: "^tools/" },
            to: { path: "^test/" },
        },
        {
            name: "not-to-unresolvable",
            severity: "error",
            comment: "An import that resolves to nothing (a moved or deleted module) fails at run time.",
            from: {},
            to: { couldNotResolve: true },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        includeOnly: "^(index\\.ts$|contracts/|config/|components/|policies/|tools/|test/|bench/|node_modules/)",
        exclude: { path: "^test/fixtures/" },
        moduleSystems: ["cjs", "es6"],
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        combinedDependencies: false,
    },
};
