import { z } from 'zod';
import {
  COMMUNICATION_STYLES,
  CREDIT_RATINGS,
  CUSTOMER_STATUSES,
  LOYALTY_ATTITUDES,
  RELATIONSHIP_STAGES,
} from '../domain/cardFields.js';
import { optionalChoice, optionalDate, optionalMoneyFen, optionalPhone, optionalText, requiredText } from './fields.js';

/** What the create/edit modal may write to a card. Keys match the modal's block ids. */
export const CardInputSchema = z.object({
  name: requiredText(100),
  company: optionalText(100),
  title: optionalText(50),
  phone: optionalPhone,
  address: optionalText(200),
  region: optionalText(50),
  birthday: optionalDate,
  education: optionalText(50),
  family: optionalText(500),
  interests: optionalText(500),
  personality: optionalText(200),
  background: optionalText(1000),
  achievements: optionalText(500),
  travel: optionalText(500),
  culture: optionalText(200),
  preferences: optionalText(1000),
  customs: optionalText(500),
  potential: optionalText(500),
  marketPolicy: optionalText(500),
  tradeActivity: optionalText(1000),
  problems: optionalText(1000),
  futurePotential: optionalText(500),
  financialStatus: optionalText(500),
  creditRating: optionalChoice(CREDIT_RATINGS),
  creditLimitFen: optionalMoneyFen,
  paymentTerms: optionalText(200),
  paymentMethod: optionalText(100),
  competitors: optionalText(1000),
  status: optionalChoice(CUSTOMER_STATUSES),
  stage: optionalChoice(RELATIONSHIP_STAGES),
  style: optionalChoice(COMMUNICATION_STYLES),
  loyalty: optionalChoice(LOYALTY_ATTITUDES),
  ownerId: optionalText(20),
  referrer: optionalText(100),
  ambassador: z.boolean().default(false),
});

export type CardInput = z.infer<typeof CardInputSchema>;
