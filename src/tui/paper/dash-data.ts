/**
 * What the paper dashboard shows, read from a session's files (docs/paper.md "Files"), so it
 * attaches to a loop running anywhere — a background job of this shell or another process: the
 * head (book, risk mode, feed), the whole performance log followed incrementally (equity and
 * drawdown; a resume that cut the log back is noticed by its size), and the tails of the orders and
 * errors logs. The dashboard calls `read()` at its refresh rate, never per bar.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { paperPaths, readJson, tailJsonl, type PaperPaths } from '../../paper/files.js';
import type { PaperHead } from '../../paper/head.js';
import type { PaperSpec } from '../../paper/spec.js';

export interface DashOrderLine {
  readonly kind: 'order' | 'fill' | 'venue_fill' | string;
  readonly id?: number;
  readonly orderId?: number;
  readonly symbol?: string;
  readonly qty?: number;
  readonly price?: number | null;
  readonly type?: string;
  readonly reason?: string;
  readonly placedAt?: number;
  readonly ts?: number;
  readonly venue?: string;
}

export interface DashErrorLine {
  readonly kind: string;
  readonly step: number;
  readonly message: string;
}

export interface DashData {
  readonly id: string;
  readonly spec: PaperSpec | undefined;
  readonly head: PaperHead | undefined;
  /** Bar close times, NAV and drawdown of every bar so far. */
  readonly ts: readonly number[];
  readonly nav: readonly number[];
  readonly drawdown: readonly number[];
  readonly orders: readonly DashOrderLine[];
  readonly errors: readonly DashErrorLine[];
}

/** Follows one session's files; `read()` returns the current picture. */
export class DashSource {
  private readonly paths: PaperPaths;
  private offset = 0;
  private rest = '';
  private readonly ts: number[] = [];
  private readonly nav: number[] = [];
  private readonly dd: number[] = [];

  constructor(dataRoot: string, readonly id: string) {
    this.paths = paperPaths(dataRoot, id);
  }

  read(): DashData {
    this.follow();
    return {
      id: this.id,
      spec: safe(() => readJson<PaperSpec>(this.paths.spec)),
      head: safe(() => readJson<PaperHead>(this.paths.head)),
      ts: this.ts,
      nav: this.nav,
      drawdown: this.dd,
      orders: tailJsonl<DashOrderLine>(this.paths.logs.orders, 40, 32 * 1024),
      errors: tailJsonl<DashErrorLine>(this.paths.logs.errors, 8, 16 * 1024),
    };
  }

  /** Parse the performance lines added since the last read (from the start again when the file shrank). */
  private follow(): void {
    const path = this.paths.logs.performance;
    if (!existsSync(path)) return;
    const size = statSync(path).size;
    if (size < this.offset) {
      this.offset = 0;
      this.rest = '';
      this.ts.length = this.nav.length = this.dd.length = 0;
    }
    if (size === this.offset) return;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(size - this.offset);
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      const lines = (this.rest + buf.subarray(0, n).toString('utf8')).split('\n');
      this.rest = lines.pop() ?? '';
      for (const l of lines) {
        if (!l) continue;
        try {
          const r = JSON.parse(l) as { t: number; nav: number; drawdown: number };
          this.ts.push(r.t);
          this.nav.push(r.nav);
          this.dd.push(r.drawdown);
        } catch {
          // a torn line (the loop was killed while writing it): the resume cuts it away
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}

function safe<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined; // a file being replaced right now: the next refresh reads it
  }
}
