import type { Connection } from 'mongoose';
import { adjustmentModel } from './adjustment.js';
import { cardEventModel } from './cardEvent.js';
import { counterModel } from './counter.js';
import { customerModel } from './customer.js';
import { nudgeModel } from './nudge.js';
import { paymentModel } from './payment.js';
import { handoverModel } from './handover.js';
import { historyModel } from './history.js';
import { homeOpenModel } from './homeOpen.js';
import { importModel, importRowsModel } from './import.js';
import { installationModel } from './installation.js';
import { ledgerModel } from './ledger.js';
import { oauthStateModel, oauthStateUseModel } from './oauthState.js';
import { promiseModel } from './promise.js';
import { referralModel } from './referral.js';
import { saleModel } from './sale.js';
import { segmentRunModel } from './segmentRun.js';
import { settingsChangeModel } from './settingsChange.js';
import { teamModel } from './team.js';
import { userPrefModel } from './userPref.js';
import { visitModel } from './visit.js';
import { writeIntentModel } from './writeIntent.js';

/** Models bound to one connection, so two app instances in one process stay independent. */
export function createModels(connection: Connection) {
  return {
    customers: customerModel(connection),
    visits: visitModel(connection),
    promises: promiseModel(connection),
    referrals: referralModel(connection),
    nudges: nudgeModel(connection),
    cardEvents: cardEventModel(connection),
    ledgers: ledgerModel(connection),
    sales: saleModel(connection),
    payments: paymentModel(connection),
    adjustments: adjustmentModel(connection),
    history: historyModel(connection),
    counters: counterModel(connection),
    teams: teamModel(connection),
    segmentRuns: segmentRunModel(connection),
    homeOpens: homeOpenModel(connection),
    writeIntents: writeIntentModel(connection),
    settingsChanges: settingsChangeModel(connection),
    userPrefs: userPrefModel(connection),
    handovers: handoverModel(connection),
    installations: installationModel(connection),
    oauthStates: oauthStateModel(connection),
    oauthStateUses: oauthStateUseModel(connection),
    imports: importModel(connection),
    importRows: importRowsModel(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index the queries rely on; run at boot, before taking traffic. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
