export * from './types.js';
export { matchOrder, newMatchResult, type MatchResult } from './match.js';
export { fillCost, impactFraction, newFillCost, type FillCost } from './costs.js';
export { averageDailyVolume } from './adv.js';
export { roundToLot, lotDecimals, cleanQty } from './lots.js';
export { fundingPayment } from './funding.js';
export { borrowFee, borrowRate, YEAR_MS } from './borrow.js';
export { byClass, classGroup, keyCovers } from './classes.js';
export { executionProfile, describeProfile } from './profile.js';
