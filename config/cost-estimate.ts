/**
 * The monthly cold-storage cost per element, tiered versus all-STANDARD, for the plan's table:
 * the number that tells a platform engineer whether the tiering is worth its slower restores.
 * With a cross-region replica, each element has a second row: the replica bucket gets the same
 * lifecycle (components/cold-storage/replica.ts), so the same storage, plus the inter-region
 * transfer of every backup replicated — the total must show what the stack really costs.
 */
import { estimateMonthlyCost } from "./cold-storage/cost";
import { PRICES_SOURCE, PRICES_SOURCE_DATED, TRANSFER_PRICE_TAKEN, US_EAST_1_INTER_REGION_TRANSFER_USD_PER_GB } from "./cold-storage/prices";
import { DrSpec } from "./spec";

export interface CostRow {
    readonly element: string;
    readonly backupSizeGb: number;
    readonly intervalHours: number;
    readonly tiering: string;
    /** Storage, plus the replication transfer on a replica's row. */
    readonly tieredUsd: number;
    readonly allStandardUsd: number;
    /** On a replica's row: where, and the transfer included in both costs. */
    readonly replica?: { readonly region: string; readonly transferGbPerMonth: number; readonly transferUsd: number };
}

const DAYS_PER_MONTH = 365 / 12;

export function costRows(spec: DrSpec): CostRow[] {
    const rows = spec.coldStorage.elements.flatMap((cold): CostRow[] => {
        const schedule = spec.elements[cold.element].schedule;
        if (!schedule) return [];
        const { intervalHours } = schedule;
        const cost = estimateMonthlyCost({
            rule: cold.rule,
            backupSizeGb: cold.expectedBackupSizeGb,
            intervalHours,
            layout: cold.layout,
            prices: spec.coldStorage.prices,
        });
        return [
            {
                element: cold.element,
                backupSizeGb: cold.expectedBackupSizeGb,
                intervalHours,
                tiering: cold.tieringWords,
                tieredUsd: cost.tieredUsd,
                allStandardUsd: cost.allStandardUsd,
            },
        ];
    });
    const region = spec.coldStorage.replicaRegion;
    return region === undefined ? rows : [...rows, ...rows.map((row) => replicaRow(row, region))];
}

/** Every backup written is replicated once: its transfer, and the same storage in the replica. */
function replicaRow(row: CostRow, region: string): CostRow {
    const transferGbPerMonth = ((row.backupSizeGb * 24) / row.intervalHours) * DAYS_PER_MONTH;
    const transferUsd = transferGbPerMonth * US_EAST_1_INTER_REGION_TRANSFER_USD_PER_GB;
    const gb = Math.round(transferGbPerMonth * 10) / 10;
    return {
        ...row,
        element: `${row.element} replica`,
        tiering: `replica in ${region}, same lifecycle; + ${gb} GB/month replicated at $${US_EAST_1_INTER_REGION_TRANSFER_USD_PER_GB}/GB`,
        tieredUsd: row.tieredUsd + transferUsd,
        allStandardUsd: row.allStandardUsd + transferUsd,
        replica: { region, transferGbPerMonth, transferUsd },
    };
}

export const COST_NOTE =
    `Steady state, one full backup of the expected size (coldStorage.expectedBackupSizeGb) per interval: storage, noncurrent versions included ` +
    `(the bucket is versioned), and on a replica's rows the inter-region transfer of every backup; no request fees. ` +
    `List prices ${PRICES_SOURCE} as of ${PRICES_SOURCE_DATED} (transfer: ${TRANSFER_PRICE_TAKEN}), storage overridable with coldStorage.prices. ` +
    `s3 and agents copies are incremental (only changed objects are rewritten), so their real cost is lower.`;
