import type { VenueKeys } from './keys.js';
import type { VenueApi } from './types.js';
export interface AlpacaVenueOptions { readonly mode: 'sandbox' | 'live'; readonly baseUrl?: string; readonly timeoutMs: number; readonly now: () => number }
export async function openAlpacaVenue(_keys: VenueKeys, _o: AlpacaVenueOptions): Promise<VenueApi> {
  throw new Error('alpaca: not yet');
}
