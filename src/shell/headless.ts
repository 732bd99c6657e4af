/**
 * Headless execution of a script: every line through the dispatcher, plain text (or one JSON
 * result per line) to `out`, a transcript written as it goes. The exit code is 0 when every line
 * did what it should (succeeded, or failed where marked `# expect-error`), else 1.
 */
import { basename, dirname, join } from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import { renderText } from './render-text.js';
import { createShell, type ShellInit } from './runtime.js';
import { parseScript, type ScriptLine } from './script.js';
import { resultDigest, type Executed } from './dispatcher.js';

export interface HeadlessOptions extends ShellInit {
  readonly json?: boolean;
  readonly out?: (s: string) => void;
  readonly err?: (s: string) => void;
  readonly signal?: AbortSignal;
  /** Before the first line: set the session up (e.g. load data); returns lines to print. */
  readonly prepare?: (shell: Awaited<ReturnType<typeof createShell>>) => Promise<readonly string[]>;
}

export const defaultTranscriptPath = (scriptPath: string): string =>
  join(dirname(scriptPath), `${basename(scriptPath).replace(/\.[^.]+$/, '')}.jsonl`);

export async function runScriptLines(lines: readonly ScriptLine[], opts: HeadlessOptions): Promise<number> {
  const out = opts.out ?? ((s: string) => process.stdout.write(`${s}\n`));
  const err = opts.err ?? ((s: string) => process.stderr.write(`${s}\n`));
  const shell = await createShell(opts);
  const { dispatcher, transcript } = shell;
  if (opts.prepare) for (const m of await opts.prepare(shell)) (opts.json ? err : out)(m);
  let failures = 0;
  // Background lines (`CMD &`): their outcome is judged when they end.
  const background: { line: ScriptLine; job: NonNullable<Executed['job']> }[] = [];
  try {
    for (const l of lines) {
      // Log lines (where a run was stored, which engine ran) are not part of the result or its
      // digest: text mode shows them after the result, JSON mode sends them to stderr.
      const logs: string[] = [];
      const ex = await dispatcher.execute(l.text, { ...(opts.signal ? { signal: opts.signal } : {}), onLog: (m) => logs.push(m) });
      if (ex.job) background.push({ line: l, job: ex.job });
      const bad = ex.result.status !== 'ok';
      if (opts.json) {
        out(canonicalJson({ line: l.text, lineNo: l.lineNo, status: ex.result.status, digest: resultDigest(ex.result), result: ex.result }));
      } else {
        out(`> ${l.text}`);
        let body: string;
        try {
          body = renderText(ex.result, { width: 100 });
        } catch (e) {
          body = `(this result could not be drawn as text: ${e instanceof Error ? e.message : String(e)}; --json shows it)`;
        }
        if (body) out(body.split('\n').map((s) => `  ${s}`).join('\n'));
        for (const m of logs) out(`  · ${m}`);
      }
      if (opts.json) for (const m of logs) err(`${l.lineNo}: ${m}`);
      if (bad !== l.expectError) {
        failures++;
        err(
          l.expectError
            ? `line ${l.lineNo}: expected an error but '${l.text}' succeeded`
            : `line ${l.lineNo}: '${l.text}' ${ex.result.status === 'cancelled' ? 'was cancelled' : 'failed'}`,
        );
      }
      if (ex.exit || ex.result.status === 'cancelled') break;
    }
    if (opts.signal?.aborted) for (const j of dispatcher.jobs.running()) j.controller.abort();
    // Every background job ends (and is recorded in its place) before the transcript closes.
    await dispatcher.jobs.settle();
    for (const { line: l, job } of background) {
      const status = job.end!.result.status;
      if ((status !== 'ok') !== l.expectError) {
        failures++;
        err(l.expectError ? `line ${l.lineNo}: expected an error but job ${job.label} '${l.text}' succeeded` : `line ${l.lineNo}: job ${job.label} '${l.text}' ended ${status}`);
      }
    }
  } finally {
    await dispatcher.close();
    transcript?.close();
  }
  return failures === 0 ? 0 : 1;
}

export async function runScriptSource(source: string, opts: HeadlessOptions): Promise<number> {
  return runScriptLines(parseScript(source), opts);
}
