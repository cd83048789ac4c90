// Every ComponentResource registers every output it exposes (registerOutputs), so that the
// component's state in a deployment — and `pulumi stack export` — lists what the class offers.
// Read from the sources: a public `readonly x: pulumi.Output<…>` needs `x: this.x` in its
// class's registerOutputs call.
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_DIR } from "../support/plan-cli";

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
    });
}

/** Each `class X extends pulumi.ComponentResource { … }` of a file, with its body. */
function componentClasses(text: string): { name: string; body: string }[] {
    const classes: { name: string; body: string }[] = [];
    for (const match of text.matchAll(/export class (\w+) extends pulumi\.ComponentResource \{/g)) {
        let depth = 1;
        let end = match.index! + match[0].length;
        while (depth > 0 && end < text.length) {
            if (text[end] === "{") depth += 1;
            else if (text[end] === "}") depth -= 1;
            end += 1;
        }
        classes.push({ name: match[1], body: text.slice(match.index!, end) });
    }
    return classes;
}

describe("component outputs (registerOutputs)", () => {
    const components = sources(join(PROJECT_DIR, "components")).flatMap((file) =>
        componentClasses(readFileSync(file, "utf8")).map((component) => ({ ...component, file: relative(PROJECT_DIR, file) })),
    );

    it("finds the stack's components", () => {
        assert.ok(components.length >= 15, components.map((c) => c.name).join(", "));
    });

    it("registers every pulumi.Output a component exposes", () => {
        const missing = components.flatMap(({ name, body, file }) => {
            const outputs = [...body.matchAll(/^\s+readonly (\w+)\??: pulumi\.Output</gm)].map((match) => match[1]);
            const registered = /this\.registerOutputs\(\{([^}]*)\}\)/.exec(body)?.[1] ?? "";
            return outputs.filter((output) => !new RegExp(`\\b${output}: this\\.${output}\\b`).test(registered)).map((output) => `${file} ${name}.${output}`);
        });
        assert.deepEqual(missing, []);
    });
});
