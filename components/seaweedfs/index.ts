/**
 * SeaweedFS (QALITA's `s3` element) beyond its volume snapshots: a scheduled, bandwidth-bounded,
 * checksummed copy of every bucket to cold storage through the S3 API — the one copy of SeaweedFS
 * that is consistent across volume and filer.
 */
import { rcloneLibraryFiles } from "../offsite/scripts";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OffsiteCopy } from "../offsite";
import { roleArnOf } from "../offsite/destination";
import { SEAWEEDFS_SCRIPT, SeaweedfsCopySettings, seaweedfsCopyArgs } from "./offsite-spec";

export type SeaweedfsDrArgs = SeaweedfsCopySettings;

export class SeaweedfsDr extends pulumi.ComponentResource {
    readonly offsiteCronJob: pulumi.Output<string>;

    constructor(name: string, args: SeaweedfsDrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:seaweedfs:SeaweedfsDr", name, {}, opts);
        // The very file the integration test runs against real rclone and S3 servers.
        const script = readFileSync(join(__dirname, "scripts", SEAWEEDFS_SCRIPT), "utf8");
        const offsite = new OffsiteCopy(`${name}-offsite`, {
            ...seaweedfsCopyArgs(args),
            files: { [SEAWEEDFS_SCRIPT]: script, ...rcloneLibraryFiles() },
            roleArn: roleArnOf(args.destination),
        }, { parent: this });
        this.offsiteCronJob = offsite.cronJobName;
        this.registerOutputs({ offsiteCronJob: this.offsiteCronJob });
    }
}

export { seaweedfsOffsiteName } from "./offsite-spec";
