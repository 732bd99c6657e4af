/**
 * The venue journal's sync inside a bar (venue-journal.ts `inbar`, docs/paper.md "Brokers"): while
 * recording, the loop's wish is journaled; in the resume replay the journal decides, so the rebuilt
 * Trader meets the venue at the same points — a journal with no `inbar` line (written before the
 * step existed) repeats none, and an `inbar` line of another bar stops the resume with one line.
 */
import { describe, expect, it } from 'vitest';
import { JournaledVenue, type JournalLine } from '../../src/paper/venue-journal.js';
import { InvariantError } from '../../src/core/errors.js';

const START: JournalLine = { k: 'start', cash: 1000, positions: { BTCUSDT: 0 }, steps: { BTCUSDT: 0.001 }, ticks: { BTCUSDT: 0.01 } };
const ACCOUNT: JournalLine = { k: 'account', cash: 1000, positions: { BTCUSDT: 0 } };

describe('venue journal: syncs inside a bar', () => {
  it('replays the syncs inside bars the journal holds, whatever the rebuilt book would want', async () => {
    const lines: JournalLine[] = [START, { k: 'inbar', step: 5 }, ACCOUNT, { k: 'sync' }, ACCOUNT, { k: 'sync' }, { k: 'bar', step: 5 }, ACCOUNT, { k: 'sync' }, { k: 'bar', step: 6 }];
    const j = JournaledVenue.replaying(lines, ['BTCUSDT'], () => undefined);
    expect(j.inBar(5, false)).toBe(true);
    await j.sync(); // the sync inside bar 5
    await j.sync(); // the sync after its close
    j.bar(5);
    expect(j.inBar(6, true)).toBe(false); // bar 6 had none
    await j.sync();
    j.bar(6);
    expect(j.replayLeft).toBe(0);
  });

  it('an older journal (no inbar lines) repeats none', () => {
    const j = JournaledVenue.replaying([START, ACCOUNT, { k: 'sync' }, { k: 'bar', step: 5 }], ['BTCUSDT'], () => undefined);
    expect(j.inBar(5, true)).toBe(false);
    expect(j.replayLeft).toBe(3);
  });

  it('a sync inside another bar than the rebuilt Trader is at stops the resume', () => {
    const j = JournaledVenue.replaying([START, { k: 'inbar', step: 7 }, ACCOUNT, { k: 'sync' }], ['BTCUSDT'], () => undefined);
    expect(() => j.inBar(5, true)).toThrow(InvariantError);
    expect(() => j.inBar(5, true)).toThrow(/a sync inside bar 7 where the rebuilt Trader is at bar 5/);
  });
});
