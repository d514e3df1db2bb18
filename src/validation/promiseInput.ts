import { z } from 'zod';
import type { CalendarDate } from '../time.js';
import { optionalDate } from './fields.js';

/** The reschedule modal: a new due date, not before the team's `today`. */
export const rescheduleInputSchema = (today: CalendarDate) =>
  z.object({
    dueDate: optionalDate.pipe(z.string({ error: 'required' }).refine((d) => d >= today, 'promiseDueInPast')),
  });
