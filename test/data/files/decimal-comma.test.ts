import { describe, it, expect } from 'vitest';
import { readMarketFile } from '../../../src/data/files/read-file.js';
import { sniffCsv } from '../../../src/data/files/sniff.js';
import { col, tempFiles } from '../../helpers/temp-files.js';

const { file } = tempFiles('decimal-comma');

describe('CSV with a decimal comma (European exports: ";" between fields, "," before decimals)', () => {
  it('sniffs it: header found, samples given with a dot; a dot decimal anywhere or a "," delimiter means no decimal comma', () => {
    const s = sniffCsv(file('eu.csv', 'Date;Open;Close\n2024-01-02;1,25;1,5\n2024-01-03;1,5;2\n'));
    expect(s).toMatchObject({ delimiter: ';', header: true, decimalComma: true, names: ['Date', 'Open', 'Close'] });
    expect(s.sample).toEqual([['2024-01-02', '1.25', '1.5'], ['2024-01-03', '1.5', '2']]);
    // Without a header the numbers still count as numbers (the first row is data).
    const bare = sniffCsv(file('eu-bare.csv', '2024-01-02;1,25;1,5\n2024-01-03;1,5;2\n'));
    expect(bare).toMatchObject({ header: false, decimalComma: true });
    expect(sniffCsv(file('dot.csv', 'Date;Open;Close\n2024-01-02;1,25;1.5\n')).decimalComma).toBe(false);
    expect(sniffCsv(file('tab.csv', 'Date\tOpen\n2024-01-02\t1.25\n')).decimalComma).toBe(false);
    expect(sniffCsv(file('comma.csv', 'Date,Open\n2024-01-02,"1,25"\n')).decimalComma).toBe(false);
  });

  it('reads prices, volumes and an unmapped numeric column as numbers, says so in the facts, and rejects a bad row with its line', async () => {
    const body =
      'Date;Open;High;Low;Close;Volume;Trades\n' +
      '2024-01-02;100,5;101,25;99,75;100,125;1500;12,5\n' +
      '2024-01-03;100,125;102;100;101,5;1700,25;13\n' +
      '2024-01-04;101,5;abc;100;101;1600;14\n' +
      '2024-01-05;101;103,5;100,5;-0,5;1800;15,75\n' +
      '2024-01-08;103;104;102;103,75;1900;16\n';
    // 1 of 5 rows is bad: allow it for this test (the default refuses above 5 %).
    const r = await readMarketFile(file('eu-daily.csv', body), { symbol: 'EU', maxRejectedFraction: 0.5 });
    expect(r.facts.some((f) => f.startsWith("decimal comma: numbers like '1,25' read as 1.25"))).toBe(true);
    expect(r.rejects.map((x) => x.line)).toEqual([4]);
    expect(r.rejects[0]!.reason).toBe("'abc' in column High is not a number");
    expect(col(r.table, 'open')).toEqual([100.5, 100.125, 101, 103]);
    expect(col(r.table, 'high')).toEqual([101.25, 102, 103.5, 104]);
    expect(col(r.table, 'low')).toEqual([99.75, 100, 100.5, 102]);
    expect(col(r.table, 'close')).toEqual([100.125, 101.5, -0.5, 103.75]);
    expect(col(r.table, 'volume')).toEqual([1500, 1700.25, 1800, 1900]);
    expect(col(r.table, 'trades')).toEqual([12.5, 13, 15.75, 16]);
    expect(col(r.table, 'ts')).toEqual(['2024-01-02', '2024-01-03', '2024-01-05', '2024-01-08'].map((d) => Date.parse(`${d}T00:00:00Z`)));
  });

  it('leaves a ";" file with dot decimals as it was', async () => {
    const r = await readMarketFile(file('dot-daily.csv', 'Date;Open;High;Low;Close;Volume\n2024-01-02;1.5;2.5;1.25;2;10\n2024-01-03;2;3;1.75;2.5;11\n'), { symbol: 'D' });
    expect(r.facts.some((f) => f.startsWith('decimal comma'))).toBe(false);
    expect(col(r.table, 'close')).toEqual([2, 2.5]);
  });
});
