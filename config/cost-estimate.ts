/**
 * The monthly cold-storage cost per element, tiered versus all-STANDARD, for the plan's table:
 * the number that tells a platform engineer whether the tiering is worth its slower restores.
 */
import { estimateMonthlyCost } from "./cold-storage/cost";
import { PRICES_SOURCE, PRICES_SOURCE_DATED } from "./cold-storage/prices";
import { DrSpec } from "./spec";

export interface CostRow {
    readonly element: string;
    readonly backupSizeGb: number;
    readonly intervalHours: number;
    readonly tiering: string;
    readonly tieredUsd: number;
    readonly allStandardUsd: number;
}

export function costRows(spec: DrSpec): CostRow[] {
    return spec.coldStorage.elements.flatMap((cold) => {
        const schedule = spec.elements[cold.element].schedule;
        if (!schedule) return [];
        const { intervalHours } = schedule;
        const cost = estimateMonthlyCost({ rule: cold.rule, backupSizeGb: cold.expectedBackupSizeGb, intervalHours, prices: spec.coldStorage.prices });
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
}

export const COST_NOTE =
    `Storage only, steady state, one full backup of the expected size (coldStorage.expectedBackupSizeGb) per interval; ` +
    `list prices ${PRICES_SOURCE} as of ${PRICES_SOURCE_DATED}, overridable with coldStorage.prices. ` +
    `s3 and agents copies are incremental (only changed objects are rewritten), so their real cost is lower.`;
