import type { Intent } from '../types.js';
import { composeArrears } from './arrears.js';
import type { Composer } from './context.js';
import { composeFromKnowledge, composeGreeting, composeInfo, composeOutOfScope } from './info.js';
export { composeFromKnowledge };
import { composePayout } from './payout.js';
import { composeRetireeCredit } from './retiree-credit.js';
import { composeTimeline, composeWorkingDays } from './timeline.js';
import { composeTransfer } from './transfer.js';

export type { ComposeContext, Composer, RetrieveFn, RetrieveOptions } from './context.js';

/** One composer per intent of the HTTP contract. */
export const composers: Record<Intent, Composer> = {
  transfer: composeTransfer,
  timeline: composeTimeline,
  arrears: composeArrears,
  payout: composePayout,
  retiree_credit: composeRetireeCredit,
  materials: composeInfo,
  online: composeInfo,
  hotline: composeInfo,
  legal_basis: composeInfo,
  working_days: composeWorkingDays,
  greeting: composeGreeting,
  out_of_scope: composeOutOfScope,
};
