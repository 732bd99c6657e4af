/**
 * Defect 9 of the reliability issue: a FRED API key reached the transcript when the server echoed
 * the request URL in its error. With fake keys set and a fixture server that echoes the URL (and
 * Alpaca's key headers) in 400 and 502 answers, nothing under the data root, the transcript, the
 * history or the process output holds a key; the messages say [redacted] where it was.
 */
import { describe, expect, it } from 'vitest';
import { runSecretsScan, FAKE_KEYS } from './harness/secrets.js';
import { redact, REDACTED } from '../../src/core/redact.js';
import { recordFigures } from './harness/figures.js';

describe('secrets never leave in clear', () => {
  it('the secrets scan finds zero hits after a session against an echoing server', async () => {
    const scan = await runSecretsScan();
    recordFigures('secrets-scan', { secretsFound: scan.hits.length, secretsScanFiles: scan.filesScanned });
    expect(scan.keyReachedServer, scan.output).toBe(true);
    expect(scan.hits).toEqual([]);
    expect(scan.filesScanned).toBeGreaterThanOrEqual(3); // transcript, script, results database at least
    expect(scan.output).toContain(`api_key=${REDACTED}`);
  }, 180_000);

  it('redact replaces plain, URL-encoded and JSON-escaped forms', () => {
    const prev = process.env['APCA_API_SECRET_KEY'];
    process.env['APCA_API_SECRET_KEY'] = FAKE_KEYS.APCA_API_SECRET_KEY;
    try {
      const s = FAKE_KEYS.APCA_API_SECRET_KEY;
      expect(redact(`a ${s} b ${encodeURIComponent(s)} c ${JSON.stringify(s)}`)).toBe(`a ${REDACTED} b ${REDACTED} c "${REDACTED}"`);
      expect(redact('short words stay')).toBe('short words stay');
    } finally {
      if (prev === undefined) delete process.env['APCA_API_SECRET_KEY'];
      else process.env['APCA_API_SECRET_KEY'] = prev;
    }
  });
});
