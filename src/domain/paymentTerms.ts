/** The days a card's free-text payment terms grant (`30`, `月结30天`, `net 45 days`), if it names a number. */
export function paymentTermsDays(terms: string | undefined): number | undefined {
  const match = /(\d{1,3})/.exec((terms ?? '').normalize('NFKC'));
  return match ? Number(match[1]) : undefined;
}
