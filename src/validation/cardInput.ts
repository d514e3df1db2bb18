import { z } from 'zod';
import {
  COMMUNICATION_STYLES,
  CREDIT_RATINGS,
  CUSTOMER_STATUSES,
  LOYALTY_ATTITUDES,
  maxLengthOf,
  RELATIONSHIP_STAGES,
} from '../domain/cardFields.js';
import { parseImportantDays, parseOccasionDate } from '../domain/occasionInput.js';
import { occasionProblem } from '../domain/occasions.js';
import type { CalendarDate } from '../time.js';
import {
  optionalChoice,
  optionalObjectId,
  optionalMoneyFen,
  optionalPhone,
  optionalText,
  optionalUserId,
  requiredText,
} from './fields.js';

/** The longest birthday and important-days text taken: a date, and a few labelled lines. */
export const BIRTHDAY_TEXT_MAX = 40;
export const IMPORTANT_DAYS_TEXT_MAX = 1000;
const CALENDARS = ['solar', 'lunar'] as const;

/** The modal's fields, by block id: the birthday typed, with its 公历/农历 choice beside it. */
const cardForm = z.object({
  name: requiredText(maxLengthOf('name')),
  company: optionalText(maxLengthOf('company')),
  title: optionalText(maxLengthOf('title')),
  phone: optionalPhone(maxLengthOf('phone')),
  address: optionalText(maxLengthOf('address')),
  region: optionalText(maxLengthOf('region')),
  birthday: optionalText(BIRTHDAY_TEXT_MAX),
  birthdayCalendar: optionalChoice(CALENDARS),
  education: optionalText(maxLengthOf('education')),
  family: optionalText(maxLengthOf('family')),
  importantDays: optionalText(IMPORTANT_DAYS_TEXT_MAX),
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

/**
 * What the create/edit modal may write to a card, as the card stores it:
 * the birthday and important days read into dates, checked against the
 * team's `today` (no birth in the future). A date that cannot be kept is
 * an error on its field (`occasion:<problem>`, with the line for important days).
 */
export function cardInputSchema(today: CalendarDate) {
  return cardForm.transform((form, ctx) => {
    const { birthday: birthdayText, birthdayCalendar, importantDays: daysText, ...fields } = form;
    const birthday = birthdayText ? parseOccasionDate(birthdayText, birthdayCalendar) : undefined;
    const birthdayProblem = birthday?.ok
      ? occasionProblem({ ...birthday.date, recurrence: 'yearly' }, { today, birth: true })
      : birthday?.reason;
    if (birthdayProblem) ctx.addIssue({ code: 'custom', path: ['birthday'], message: `occasion:${birthdayProblem}` });
    const days = parseImportantDays(daysText, today);
    if (!days.ok)
      ctx.addIssue({
        code: 'custom',
        path: ['importantDays'],
        message: `occasion:${days.problem}`,
        params: { line: days.line },
      });
    return {
      ...fields,
      ...(birthday?.ok && !birthdayProblem ? { birthday: birthday.date } : {}),
      ...(days.ok && days.days.length > 0 ? { importantDays: days.days } : {}),
    };
  });
}

export type CardInput = z.output<ReturnType<typeof cardInputSchema>>;
