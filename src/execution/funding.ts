/**
 * Perpetual funding (seed 001 funding alignment; Binance USDⓈ-M convention): at each funding time
 * the long side pays the short side `rate × position notional` when the rate is positive, and
 * receives it when negative. The engine reads the rate from the bars' `funding_rate` column (the
 * rate settled at that bar's close, 0 when none) and values the position at the bar's close (mark).
 *
 *   cash change = −qty × mark × rate      (qty signed: long > 0 pays a positive rate)
 */
export function fundingPayment(qty: number, mark: number, rate: number): number {
  if (qty === 0 || rate === 0 || rate !== rate) return 0;
  return -qty * mark * rate;
}
