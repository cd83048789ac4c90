// One mocks setup for the whole suite (loaded by .mocharc `require`): the last setMocks call wins
// process-wide, so no test file sets its own. Program tests import index.ts only after this.
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../tools/plan/mocks";

void pulumi.runtime.setMocks(mocks, "qalita-dr", "test", true);
