import { describe, it, expect } from 'vitest';
import { detectTsFormat, epochUnitOf, parseTzOffset, formatTzOffset, tsSql } from '../../../src/data/files/timestamps.js';
import { withDuck } from '../../../src/data/lake/duck.js';

describe('timestamp format detection', () => {
  it('picks the epoch unit by magnitude (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns)', () => {
    expect(detectTsFormat(['1672531436', '1672531471'], 'auto', 'f').format).toBe('s');
    expect(detectTsFormat(['1509836520000'], 'auto', 'f').format).toBe('ms');
    expect(detectTsFormat(['1709251200000000'], 'auto', 'f').format).toBe('us');
    expect(detectTsFormat(['1709251200000000000'], 'auto', 'f').format).toBe('ns');
    expect([epochUnitOf(99_999_999_999), epochUnitOf(1e11), epochUnitOf(1e14), epochUnitOf(1e17)]).toEqual(['s', 'ms', 'us', 'ns']);
  });

  it('recognises ISO (naive or with offsets), YYYYMMDD and day/month-first dates', () => {
    expect(detectTsFormat(['2024-01-31', '2024-02-01'], 'auto', 'f')).toMatchObject({ format: 'iso', hasOffset: false });
    expect(detectTsFormat(['2015-09-23T20:57:42.146'], 'auto', 'f')).toMatchObject({ format: 'iso', hasOffset: false });
    expect(detectTsFormat(['2024-01-31 08:00:00+03:00'], 'auto', 'f')).toMatchObject({ format: 'iso', hasOffset: true });
    expect(detectTsFormat(['20240131', '20240201'], 'auto', 'f').format).toBe('yyyymmdd');
    expect(detectTsFormat(['31/01/2024', '01/02/2024'], 'auto', 'f')).toMatchObject({ format: 'dmy', patterns: ['%d/%m/%Y'] });
    expect(detectTsFormat(['01/31/2024 10:00'], 'auto', 'f').format).toBe('mdy');
    const ambiguous = detectTsFormat(['02/03/2010 16:53:50'], 'auto', 'f');
    expect(ambiguous.format).toBe('mdy');
    expect(ambiguous.note).toContain('ambiguous');
  });

  it('refuses values it cannot read and unknown --ts-format names, saying what to pass', () => {
    expect(() => detectTsFormat(['yesterday'], 'auto', 'f.csv: column Date')).toThrow("f.csv: column Date: cannot tell the timestamp format from values like 'yesterday'");
    expect(() => detectTsFormat(['1'], 'epoch', 'f')).toThrow(/unknown --ts-format 'epoch'/);
    expect(() => detectTsFormat([], 'auto', 'f')).toThrow(/empty/);
  });

  it('parses and prints UTC offsets', () => {
    expect(parseTzOffset('+03:00')).toBe(3 * 3_600_000);
    expect(parseTzOffset('-0530')).toBe(-(5.5 * 3_600_000));
    expect(parseTzOffset('+3')).toBe(3 * 3_600_000);
    expect(parseTzOffset('UTC')).toBe(0);
    expect(() => parseTzOffset('EST')).toThrow(/cannot read 'EST' as a UTC offset/);
    expect(formatTzOffset(-(5.5 * 3_600_000))).toBe('-05:30');
  });

  it('the SQL gives epoch ms, NULL for garbage, and shifts naive local time to UTC', async () => {
    const rows = await withDuck(async (c) => {
      await c.run(`SET TimeZone='UTC'`);
      const iso = detectTsFormat(['2024-01-31 08:00'], 'auto', 'f');
      const dmy = detectTsFormat(['31.01.24 08:00'], 'auto', 'f');
      const q = `SELECT ${tsSql(`'2024-01-31 08:00'`, iso, false, 3 * 3_600_000)}, ${tsSql(`'nonsense'`, iso, false, 0)}, ` +
        `${tsSql(`'2024-01-31T08:00:00+02:00'`, { ...iso, hasOffset: true }, false, 0)}, ${tsSql(`'31.01.24 08:00'`, dmy, false, 0)}, ` +
        `${tsSql('1709251200000000', { format: 'us', hasOffset: false, note: '' }, true, 0)}, ${tsSql('1672531436', { format: 's', hasOffset: false, note: '' }, true, 0)}`;
      return (await c.runAndReadAll(q)).getRowsJS()[0]!;
    });
    expect(rows).toEqual([Date.UTC(2024, 0, 31, 5), null, Date.UTC(2024, 0, 31, 6), Date.UTC(2024, 0, 31, 8), Date.UTC(2024, 2, 1), 1672531436000]);
  });
});
