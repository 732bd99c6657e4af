/** Cleaning to canonical bars: sanity, ordering, de-duplication, resampling, funding and OI alignment, gaps. */
export { cleanDataset, type CleanRequest, type CleanResponse, type RawMeta } from './clean-dataset.js';
export { cleanBars, type CleanBarsInput, type CleanBarsOutput, type CleanBarsResult } from './clean-bars.js';
export { resampleBars, SUM_COLUMNS } from './resample.js';
export { bucketOf, bucketEnd, bucketStarts, gridFor, WEEK_ANCHOR, type Grid } from './buckets.js';
export { findGaps, type Gap, type GapReport, type Calendar } from './gaps.js';
export { calendarFor, describeCalendar } from './calendar-choice.js';
export { detectSession, weekdaysBetween, tradesWeekdaysOnly, type SessionTimes } from './calendar.js';
export { cleanFundingEvents, alignFunding, onSchedule, type CleanFunding, type FundingAlignment, type FundingMode } from './funding.js';
export { forwardFillOpenInterest, asOfJoin } from './open-interest.js';
export { tradesToBars } from './trades.js';
export { checkBars, BAR_REASONS } from './sanity.js';
export { orderRows, dedupe } from './order.js';
export { resolveTargets, CANONICAL_TARGETS } from './targets.js';
export { resolveLines } from './lines.js';
export { REASON_TEXT, countByReason, formatReasonCounts, quarantineTable, type QuarantinedRow, type QuarantineReason } from './quarantine.js';
