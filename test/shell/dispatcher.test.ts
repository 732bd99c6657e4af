import { describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { renderText } from '../../src/shell/render-text.js';

async function shell() {
  return (await createShell({ seed: 42, id: 'test' })).dispatcher;
}

describe('dispatcher: bad input never kills the session', () => {
  it('unknown command → one line with a did-you-mean, and the next command still works', async () => {
    const d = await shell();
    const bad = await d.execute('hepl');
    expect(bad.result.status).toBe('error');
    expect(renderText(bad.result)).toBe("hepl: unknown command 'hepl'; did you mean 'help'? (type help for the list)");
    const good = await d.execute('seed');
    expect(good.result.status).toBe('ok');
    expect(renderText(good.result)).toBe('seed 42');
  });

  it('bad flag values name the argument and the expectation', async () => {
    const d = await shell();
    const r = await d.execute('seed -5');
    expect(r.result.status).toBe('error');
    expect(renderText(r.result)).toMatch(/^seed: <value> .*>=0/);
    const r2 = await d.execute('history --last zero');
    expect(renderText(r2.result)).toBe("history: --last expected number, received NaN (got 'zero')");
  });

  it('missing files give a one-line cause', async () => {
    const d = await shell();
    const r = await d.execute('run /nonexistent/dir/script.edgelab');
    expect(r.result.status).toBe('error');
    expect(renderText(r.result)).toBe('run: /nonexistent/dir/script.edgelab: cannot read script (ENOENT)');
  });

  it('an unwritable save path gives a one-line cause', async () => {
    const d = await shell();
    // A path below a regular file cannot be created even by root (ENOTDIR).
    const r = await d.execute('save /dev/null/x.edgelab');
    expect(r.result.status).toBe('error');
    expect(renderText(r.result)).toBe('save: /dev/null/x.edgelab: cannot write (a parent path is not a directory, ENOTDIR)');
  });

  it('an invalid config value is refused and the config is unchanged', async () => {
    const d = await shell();
    const before = d.session.configDigest;
    const r = await d.execute('config set session.seed abc');
    expect(r.result.status).toBe('error');
    expect(renderText(r.result)).toMatch(/session\.seed: expected number, received string/);
    expect(d.session.configDigest).toBe(before);
    const r2 = await d.execute('config set session.seed 9');
    expect(r2.result.status).toBe('ok');
    expect(d.session.configDigest).not.toBe(before);
  });

  it('unknown subcommand of a parent gets a did-you-mean', async () => {
    const d = await shell();
    const r = await d.execute('config shwo');
    expect(renderText(r.result)).toMatch(/unknown config source 'shwo'; did you mean 'show'\?/);
  });

  it('--help on any command shows its help', async () => {
    const d = await shell();
    const r = await d.execute('seed --help');
    expect(r.result.title).toBe('help seed');
    expect(renderText(r.result)).toContain('usage: seed [VALUE]');
  });

  it('records history, and exit asks to quit without being recorded', async () => {
    const d = await shell();
    await d.execute('seed');
    await d.execute('# a comment');
    const e = await d.execute('exit');
    expect(e.exit).toBe(true);
    expect(d.session.history).toEqual(['seed']);
  });

  it('an internal error in a command becomes a result, not a crash', async () => {
    const d = await shell();
    // config show on a scalar path that does not exist throws a UserError; a thrown TypeError is an internal error:
    const r = await d.execute('config show session.nothing');
    expect(r.result.status).toBe('error');
    expect(renderText(r.result)).toBe("config show: no config key 'session.nothing'");
  });
});
