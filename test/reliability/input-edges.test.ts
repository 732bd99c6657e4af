/**
 * Reliability issue, smaller defects: reading from a FIFO hung (open blocks until a writer comes),
 * and a refused connection read "network error TypeError". A FIFO is refused in one line naming
 * what it is; a refused connection says "connection refused by HOST".
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../src/data/files/ingest.js';
import { networkCause } from '../../src/data/network/http.js';

describe('input edges', () => {
  it('a named pipe is refused at once, not read forever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-fifo-'));
    const fifo = join(dir, 'prices.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(ingestFile(fifo, join(dir, 'lake'), { symbol: 'P' })).rejects.toThrow('prices.csv: is a named pipe (FIFO), not a regular file');
  });

  it('a refused connection is said in words with the host', async () => {
    // a port that was free a moment ago: listen, note it, close
    const srv = createServer();
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((ok) => srv.close(() => ok()));
    const url = `http://127.0.0.1:${port}/x?api_key=k`;
    const err = await fetch(url).catch((e: unknown) => e);
    expect(networkCause(err, url)).toBe(`connection refused by 127.0.0.1:${port} (nothing listening there?)`);
  });
});
