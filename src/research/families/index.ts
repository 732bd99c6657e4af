/** The six phase-1 event families, by id. */
import { FAMILY_IDS, type EventFamily, type FamilyId } from '../types.js';
import { volCompression } from './vol-compression.js';
import { fundingExtreme } from './funding-extreme.js';
import { liquidityVacuum } from './liquidity-vacuum.js';
import { forcedFlow } from './forced-flow.js';
import { crossVenueDesync } from './cross-venue-desync.js';
import { rangeBreakout } from './range-breakout.js';

export const FAMILIES: Readonly<Record<FamilyId, EventFamily>> = {
  vol_compression: volCompression,
  funding_extreme: fundingExtreme,
  liquidity_vacuum: liquidityVacuum,
  forced_flow: forcedFlow,
  cross_venue_desync: crossVenueDesync,
  range_breakout: rangeBreakout,
};

export const isFamilyId = (s: string): s is FamilyId => (FAMILY_IDS as readonly string[]).includes(s);
