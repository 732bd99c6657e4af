/**
 * Driving the built shell in a real terminal: tmux on its own server socket (so a test never
 * touches the user's tmux or another test's), `send-keys` in, `capture-pane` out, polling until
 * the screen shows what a person would wait for. Tests skip with a clear message when tmux or the
 * build is missing (.ci/run installs tmux; `npm run build` builds dist/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/**
 * Why a tmux test cannot run here ('' when it can): no tmux, or no build of `builtFile` (a path
 * under dist/, e.g. 'src/cli.js'). Says so once on stderr, naming the test.
 */
export function tmuxSkipReason(test: string, builtFile = 'src/cli.js'): string {
  const reason = !hasTmux ? 'tmux is not installed (apt-get install -y tmux; .ci/run does)' : !existsSync(join(REPO, 'dist', builtFile)) ? 'the shell is not built (npm run build)' : '';
  if (reason) console.warn(`${test} skipped: ${reason}`);
  return reason;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
  readonly columns?: number;
  readonly rows?: number;
  /** The data root (EDGELAB_DATA_ROOT); default a fresh temp folder, removed by kill(). */
  readonly dataRoot?: string;
  /** Extra environment for the shell. */
  readonly env?: Readonly<Record<string, string>>;
  /** Arguments after `node bin/edgelab.js` (e.g. ['paper', 'dash', 'tm']); default none: the shell. */
  readonly args?: readonly string[];
}

/** One shell in one tmux session on a private server. */
export class TmuxShell {
  private readonly socket: string;
  private readonly temps: string[] = [];
  /** The data root the shell runs on. */
  dataRoot = '';

  constructor(name: string) {
    this.socket = `edgelab-${name}-${process.pid}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Start `node bin/edgelab.js [args]` (with a fresh HOME, so no saved history) in a detached session. */
  start({ columns = 120, rows = 40, dataRoot, env = {}, args = [] }: StartOptions = {}): this {
    const home = mkdtempSync(join(tmpdir(), 'edgelab-home-'));
    this.temps.push(home);
    if (dataRoot === undefined) {
      dataRoot = mkdtempSync(join(tmpdir(), 'edgelab-data-'));
      this.temps.push(dataRoot);
    }
    this.dataRoot = dataRoot;
    const vars = { HOME: home, EDGELAB_DATA_ROOT: dataRoot, ...env };
    // `sleep` keeps the pane (and what the shell last drew) after the shell exits.
    const command = ['node', 'bin/edgelab.js', ...args].map((a) => (/^[\w./:=@-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    this.tmux('new-session', '-d', '-s', 'shell', '-x', String(columns), '-y', String(rows), '-c', REPO, ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), `${command}; sleep 30`);
    return this;
  }

  /** The visible screen, lines joined by \n. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'shell');
  }

  /** Key names as tmux knows them ('Enter', 'C-c', 'Escape', 'BTab'). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'shell', ...keys);
  }

  /** Type text literally (no key-name lookup). */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'shell', '-l', text);
  }

  /** Type a line and press Enter. */
  line(text: string): void {
    this.type(text);
    this.keys('Enter');
  }

  /** Poll the screen until it matches (or `check` holds); throws with the last screen when it never does. */
  async waitFor(check: RegExp | ((screen: string) => boolean), timeoutMs: number, what = String(check)): Promise<string> {
    const test = typeof check === 'function' ? check : (s: string): boolean => check.test(s);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`tmux screen never showed ${what} within ${timeoutMs} ms:\n${s}`);
      await sleep(200);
    }
  }

  /** Wait for the demo data (`ingest synthetic` at start-up) to be loaded. */
  ready(timeoutMs = 240_000): Promise<string> {
    return this.waitFor(/data: \d+ sets/, timeoutMs, 'the demo data loaded');
  }

  /** End the tmux server and remove the temp folders it made. */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
    for (const d of this.temps.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
