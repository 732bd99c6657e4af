/**
 * The interactive shell in a real pseudo-terminal (util-linux `script`), for start-up and echo
 * timings: everything the shell draws is collected with ANSI escapes stripped, so a test can wait
 * for text to appear on screen and time it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[78()][0-9A-B]?/g;

export class PtyShell {
  readonly started = performance.now();
  private readonly child: ChildProcessWithoutNullStreams;
  /** Everything drawn so far, escapes stripped. */
  screen = '';
  private waiters: (() => void)[] = [];

  /**
   * `script` gives the shell a PTY of its own whose size is not taken from COLUMNS/LINES (it is
   * 80 columns when there is no terminal to copy), so the size is set with `stty` inside it: at 80
   * columns a long dataset summary is cut before the text a workload waits for.
   */
  constructor(bin: string, cwd: string, env: Record<string, string> = {}, size: { cols: number; rows: number } = { cols: 120, rows: 40 }) {
    this.child = spawn('script', ['-qfec', `stty cols ${size.cols} rows ${size.rows}; exec node ${bin}`, '/dev/null'], {
      cwd,
      env: {
        ...process.env,
        COLUMNS: String(size.cols),
        LINES: String(size.rows),
        TERM: 'xterm-256color',
        HOME: mkdtempSync(join(tmpdir(), 'edgelab-home-')),
        EDGELAB_DATA_ROOT: mkdtempSync(join(tmpdir(), 'edgelab-data-')),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d: Buffer) => {
      this.screen += d.toString('utf8').replace(ANSI, '');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Milliseconds from `since` until `pattern` shows in what was drawn after offset `from`. */
  async waitFor(pattern: RegExp, opts: { from?: number; since?: number; timeoutMs?: number } = {}): Promise<number> {
    const from = opts.from ?? 0;
    const since = opts.since ?? this.started;
    const deadline = performance.now() + (opts.timeoutMs ?? 120_000);
    for (;;) {
      if (pattern.test(this.screen.slice(from))) return performance.now() - since;
      if (performance.now() > deadline) throw new Error(`the shell did not show ${pattern} in time; last screen: ${this.screen.slice(-300)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  send(keys: string): void {
    this.child.stdin.write(keys);
  }

  close(): void {
    this.send('\u0003\u0003');
    this.send('\u0004');
    setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
  }
}
