/**
 * SeaweedFS (QALITA's `s3` element) beyond its volume snapshots: a scheduled, bandwidth-bounded,
 * checksummed copy of every bucket to cold storage through the S3 API — the one copy of SeaweedFS
 * that is consistent across volume and filer.
 */
import * as pulumi from "@pulumi/pulumi";
import { OffsiteCopy } from "../offsite";
import { roleArnOf } from "../offsite/destination";
import { SeaweedfsCopySettings, seaweedfsCopyArgs, seaweedfsCopyFiles } from "./offsite-spec";

export type SeaweedfsDrArgs = SeaweedfsCopySettings;

export class SeaweedfsDr extends pulumi.ComponentResource {
    readonly offsiteCronJob: pulumi.Output<string>;

    constructor(name: string, args: SeaweedfsDrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qalita-dr:seaweedfs:SeaweedfsDr", name, {}, opts);
        const offsite = new OffsiteCopy(
            `${name}-offsite`,
            {
                ...seaweedfsCopyArgs(args),
                files: seaweedfsCopyFiles(),
                roleArn: roleArnOf(args.destination),
            },
            { parent: this },
        );
        this.offsiteCronJob = offsite.cronJobName;
        this.registerOutputs({ offsiteCronJob: this.offsiteCronJob });
    }
}
