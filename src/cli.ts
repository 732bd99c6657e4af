/**
 * The `edgelab` executable.
 *
 *   edgelab                         the interactive shell (demo data loaded); with stdin not a TTY,
 *                                   reads a script from stdin and runs it headlessly
 *   edgelab run FILE|- [--json] [--seed N] [--transcript PATH | --no-transcript] [--experiment YAML]
 *   edgelab replay FILE [--check] [--json]
 *   edgelab --version | --help
 *
 * This is the shell layer: it may read the wall clock (session ids, transcript start times); the
 * engine below never does.
 */
import { resolve, relative, isAbsolute } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import { runScriptLines, defaultTranscriptPath } from './shell/headless.js';
import { parseScript, readScript, type ScriptLine } from './shell/script.js';
import { replayTranscript, replayVerdict } from './shell/replay.js';
import { createShell } from './shell/runtime.js';
import { JobWorkers } from './shell/jobs/worker-pool.js';
import { packageRoot } from './shell/session.js';
import { provenanceOf } from './shell/provenance.js';
import { UserError, messageOf } from './core/errors.js';
import { canonicalJson } from './core/canonical.js';

const USAGE = `usage:
  edgelab                       open the interactive shell (demo data loaded)
  edgelab run FILE|- [--json] [--seed N] [--transcript PATH | --no-transcript] [--experiment YAML]
                                run a session script (a file, a pipe, /dev/fd/N or - for stdin)
                                headlessly and write its transcript (FILE.jsonl, or sessions/ID.jsonl)
  edgelab replay FILE [--check] [--json]
                                re-run a transcript in a fresh temp data root; --check also checks
                                the hash chain and end record and exits 1 naming the first line and field that differ
  edgelab paper start|status|pause|resume|kill|resume-from … 
                                a paper command in its own process on the lake's clean bars, else the demo data (docs/paper.md)
  edgelab paper dash [ID]       the paper dashboard full screen, attached to a session's files
  edgelab worker --redis URL [--concurrency N] (--snapshot DIR | --script FILE)
                                a BullMQ worker for optimize, walkforward and discover --backend bullmq,
                                on the data of a snapshot (snapshot export DIR) or a session script (docs/scale-out.md)
  edgelab --version | --help`;

interface Flags {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

function parseArgv(argv: readonly string[], valued: readonly string[]): Flags {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (v !== undefined) flags.set(k, v);
      else if (valued.includes(k)) {
        const next = argv[++i];
        if (next === undefined) throw new UserError(`${k} needs a value`, 'edgelab');
        flags.set(k, next);
      } else flags.set(k, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

function seedFlag(f: Flags): number | undefined {
  const s = f.flags.get('--seed');
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n)) throw new UserError(`--seed needs an integer, got '${String(s)}'`, 'edgelab');
  return n;
}

/** A path as short as it can be shown: relative to the working directory when it is inside it. */
function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

function wallClockId(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  const suffix = (process.pid % 4096).toString(16).padStart(3, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}-${suffix}`;
}

/**
 * The script to run: a file, `-` (standard input) or anything readable such as a pipe or /dev/fd/N.
 * Only a regular file gets a transcript beside it (FILE.jsonl); a script from a pipe or a stream
 * gets sessions/<session id>.jsonl under the project, like an interactive session.
 */
function scriptInput(file: string, id: string): { lines: ScriptLine[]; source: string; transcript: string } {
  if (file === '-') {
    return { lines: parseScript(readFileSync(0, 'utf8')), source: 'stdin', transcript: resolve(packageRoot(), 'sessions', `${id}.jsonl`) };
  }
  const path = resolve(file);
  const lines = readScript(path);
  let regular = false;
  try {
    regular = statSync(path).isFile();
  } catch {
    regular = false;
  }
  return { lines, source: path, transcript: regular ? defaultTranscriptPath(path) : resolve(packageRoot(), 'sessions', `${id}.jsonl`) };
}

async function cmdRun(argv: readonly string[]): Promise<number> {
  const f = parseArgv(argv, ['--seed', '--transcript', '--experiment', '--config']);
  const file = f.positional[0];
  if (!file) throw new UserError('run needs a script path (or - for standard input), e.g. edgelab run sessions/demo.edgelab', 'edgelab');
  const id = `run-${wallClockId()}`;
  const input = scriptInput(file, id);
  const seed = seedFlag(f);
  const transcriptPath = f.flags.has('--no-transcript') ? undefined : resolve(String(f.flags.get('--transcript') ?? input.transcript));
  const experiment = f.flags.get('--experiment');
  const config = f.flags.get('--config');
  const code = await runScriptLines(input.lines, {
    ...(seed !== undefined ? { seed } : {}),
    ...(transcriptPath ? { transcriptPath } : {}),
    ...(typeof experiment === 'string' ? { overlays: [resolve(experiment)] } : {}),
    ...(typeof config === 'string' ? { configPath: resolve(config) } : {}),
    json: f.flags.has('--json'),
    source: input.source,
    startedAt: new Date().toISOString(),
    id,
  });
  if (transcriptPath && !f.flags.has('--json')) process.stderr.write(`transcript: ${transcriptPath}\n`);
  return code;
}

async function cmdReplay(argv: readonly string[]): Promise<number> {
  const f = parseArgv(argv, []);
  const file = f.positional[0];
  if (!file) throw new UserError('replay needs a transcript path (*.jsonl)', 'edgelab');
  const check = f.flags.has('--check');
  const report = await replayTranscript(resolve(file), { stopAtFirst: check });
  const verdict = replayVerdict(report, check);
  if (f.flags.has('--json')) process.stdout.write(`${canonicalJson(report)}\n`);
  else for (const l of verdict.lines) process.stdout.write(`${l}\n`);
  if (verdict.failure) {
    process.stderr.write(`${verdict.failure}\n`);
    return 1;
  }
  return 0;
}

/**
 * `edgelab paper …`: the dashboard in this terminal, or one paper command run headlessly, without a
 * transcript; `start` and `resume-from` read the data root's lake (its clean bars), or the demo
 * data when the lake has none (saying so).
 */
async function cmdPaper(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'dash') {
    const { Session } = await import('./shell/session.js');
    const { resolveSessionId } = await import('./paper/report.js');
    const dataRoot = new Session().dataRoot;
    const id = resolveSessionId(dataRoot, argv[1]);
    if (!id) throw new UserError('no paper session yet (`edgelab paper start …` starts one)', 'edgelab paper dash');
    const dashPath = './tui/paper/run-dash.js';
    await ((await import(dashPath)) as typeof import('./tui/paper/run-dash.js')).runDash(dataRoot, id);
    return 0;
  }
  const quote = (a: string): string => (/^[A-Za-z0-9._:,=/-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  const lines = parseScript(`paper ${argv.map(quote).join(' ')}\n`);
  const needsData = argv[0] === 'start' || argv[0] === 'resume-from';
  return runScriptLines(lines, {
    json: false, source: 'edgelab paper', startedAt: new Date().toISOString(), id: `paper-${wallClockId()}`,
    // the data root's lake (EDGELAB_DATA_ROOT); the demo data only when the lake has no clean bars
    ...(needsData ? { prepare: async ({ session, dispatcher }) => {
      const { lakeBarDatasets } = await import('./paper/lake-data.js');
      const { lakeDir } = await import('./data/lake/layout.js');
      const lake = lakeDir(session);
      const found = await lakeBarDatasets(lake);
      for (const ds of found) session.datasets.set(ds.name, ds);
      if (found.length > 0) return [`data: ${found.length} clean bar dataset(s) from the lake ${lake} (${found.map((d) => d.name).join(', ')})`];
      const ingest = await dispatcher.execute('ingest synthetic');
      if (ingest.result.status !== 'ok') throw new UserError(`the lake ${lake} has no clean bars, and the demo data could not be made`, 'edgelab paper');
      return [`data: the lake ${lake} has no clean bars (\`clean\` writes them there): using the demo data (ingest synthetic)`];
    } } : {}),
  });
}

async function cmdInteractive(): Promise<number> {
  if (!process.stdin.isTTY) return cmdRun(['-']);
  const id = wallClockId();
  const root = packageRoot();
  // Job commands (ingest, backtest…) run in worker threads; the first worker starts loading the
  // commands now, on another core, while this thread loads the screen.
  const workers = new JobWorkers();
  void workers.warm().catch(() => undefined);
  const { session, dispatcher, transcript } = await createShell({
    id,
    transcriptPath: resolve(root, 'sessions', `${id}.jsonl`),
    source: 'interactive',
    startedAt: new Date().toISOString(),
  });
  dispatcher.useWorkers(workers);
  const tuiPath = './tui/index.js';
  const tui = (await import(tuiPath)) as typeof import('./tui/index.js');
  const early = ((await import('./tui/first-paint.js')) as typeof import('./tui/first-paint.js')).takeEarlyInput();
  try {
    await tui.runInteractive({
      dispatcher,
      startupLines: ['ingest synthetic'],
      historyFile: session.config.session.history_file,
      header: { sessionId: id, resultsDb: displayPath(session.projectPath(session.config.session.results_db)) },
      early,
    });
  } finally {
    for (const job of dispatcher.jobs.running()) job.controller.abort();
    await Promise.race([dispatcher.close(), new Promise((r) => setTimeout(r, 1000))]);
    transcript?.close();
  }
  return 0;
}

async function cmdWorker(argv: readonly string[]): Promise<number> {
  const f = parseArgv(argv, ['--redis', '--concurrency', '--snapshot', '--script', '--id']);
  const text = (k: string): string | undefined => (typeof f.flags.get(k) === 'string' ? (f.flags.get(k) as string) : undefined);
  const { runWorkerCli } = await import('./scale/worker-cli.js');
  const concurrency = text('--concurrency');
  return runWorkerCli({
    concurrency: concurrency === undefined ? 1 : Number(concurrency),
    ...(text('--redis') !== undefined ? { redis: text('--redis')! } : {}),
    ...(text('--snapshot') !== undefined ? { snapshot: text('--snapshot')! } : {}),
    ...(text('--script') !== undefined ? { script: text('--script')! } : {}),
    ...(text('--id') !== undefined ? { id: text('--id')! } : {}),
  }, argv);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
        return await cmdInteractive();
      case 'run':
        return await cmdRun(rest);
      case 'replay':
        return await cmdReplay(rest);
      case 'paper':
        return await cmdPaper(rest);
      case 'worker':
        return await cmdWorker(rest);
      case '--version':
      case '-v':
        process.stdout.write(`edgelab ${provenanceOf(packageRoot()).version}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        process.stderr.write(`edgelab: unknown command '${cmd}'\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`edgelab: ${messageOf(err)}\n`);
    return 2;
  }
}

const argv = process.argv.slice(2);
const code = await main(argv);
process.exitCode = code;
// Headless runs end when their work is done, even if a library left a handle open (a pool, a socket).
if (argv.length > 0) setTimeout(() => process.exit(code), 100).unref();
