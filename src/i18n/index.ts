import { en } from './en.js';
import { zh, type Messages } from './zh.js';

export type Locale = 'zh' | 'en';
export type { Messages };

const catalogs: Record<Locale, Messages> = { zh, en };

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}
