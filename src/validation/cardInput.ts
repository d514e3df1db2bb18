import { z } from 'zod';
import {
  COMMUNICATION_STYLES,
  CREDIT_RATINGS,
  CUSTOMER_STATUSES,
  LOYALTY_ATTITUDES,
  maxLengthOf,
  RELATIONSHIP_STAGES,
} from '../domain/cardFields.js';
import {
  optionalChoice,
  optionalObjectId,
  optionalDate,
  optionalMoneyFen,
  optionalPhone,
  optionalText,
  optionalUserId,
  requiredText,
} from './fields.js';

/** What the create/edit modal may write to a card. Keys match the modal's block ids. */
export const CardInputSchema = z.object({
  name: requiredText(maxLengthOf('name')),
  company: optionalText(maxLengthOf('company')),
  title: optionalText(maxLengthOf('title')),
  phone: optionalPhone(maxLengthOf('phone')),
  address: optionalText(maxLengthOf('address')),
  region: optionalText(maxLengthOf('region')),
  birthday: optionalDate,
  education: optionalText(maxLengthOf('education')),
  family: optionalText(maxLengthOf('family')),
  interests: optionalText(maxLengthOf('interests')),
  personality: optionalText(maxLengthOf('personality')),
  background: optionalText(maxLengthOf('background')),
  achievements: optionalText(maxLengthOf('achievements')),
  travel: optionalText(maxLengthOf('travel')),
  culture: optionalText(maxLengthOf('culture')),
  preferences: optionalText(maxLengthOf('preferences')),
  customs: optionalText(maxLengthOf('customs')),
  potential: optionalText(maxLengthOf('potential')),
  marketPolicy: optionalText(maxLengthOf('marketPolicy')),
  tradeActivity: optionalText(maxLengthOf('tradeActivity')),
  problems: optionalText(maxLengthOf('problems')),
  futurePotential: optionalText(maxLengthOf('futurePotential')),
  financialStatus: optionalText(maxLengthOf('financialStatus')),
  creditRating: optionalChoice(CREDIT_RATINGS),
  creditLimitFen: optionalMoneyFen,
  paymentTerms: optionalText(maxLengthOf('paymentTerms')),
  paymentMethod: optionalText(maxLengthOf('paymentMethod')),
  competitors: optionalText(maxLengthOf('competitors')),
  /** Not on the form any more (see CUSTOMER_STATUSES): only a referral's prospect is created with one. */
  status: optionalChoice(CUSTOMER_STATUSES),
  stage: optionalChoice(RELATIONSHIP_STAGES),
  style: optionalChoice(COMMUNICATION_STYLES),
  loyalty: optionalChoice(LOYALTY_ATTITUDES),
  ownerId: optionalUserId,
  referrerId: optionalObjectId,
  ambassador: z.boolean().default(false),
  notes: optionalText(maxLengthOf('notes')),
});

export type CardInput = z.infer<typeof CardInputSchema>;
