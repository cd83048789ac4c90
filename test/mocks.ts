// One mocks setup for the whole suite (loaded by .mocharc `require`): the last setMocks call wins
// process-wide, so no test file sets its own. Program tests import index.ts only after this.
import * as pulumi from "@pulumi/pulumi";
import { awsAssigned, mocks } from "../tools/plan/mocks";

// Component tests check how AWS-assigned values (ARNs) are wired: recognisable stand-ins here;
// the offline plan (a child process in tests) shows them unknown, as a preview does.
awsAssigned.mode = "fake";

void pulumi.runtime.setMocks(mocks, "qalita-dr", "test", true);
