/**
 * The command registry is the commands/ folder: every `commands/<name>.ts` (or compiled `.js`)
 * default-exports one definition; `commands/<name>/<sub>.ts` are its subcommands. Names are
 * sorted so the registry never depends on filesystem order.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyCommand } from './command.js';

export interface Registry {
  readonly commands: ReadonlyMap<string, AnyCommand>;
  subcommands(name: string): ReadonlyMap<string, AnyCommand> | undefined;
  names(): string[];
}

/** commands/ beside src/ (works from src/shell in tests and dist/src/shell when compiled). */
export const defaultCommandsDir = (): string => fileURLToPath(new URL('../../commands/', import.meta.url));

const moduleFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js)$/.test(e.name) && !/\.d\.ts$/.test(e.name))
    .map((e) => e.name)
    .sort();

async function loadDir(dir: string): Promise<Map<string, AnyCommand>> {
  const out = new Map<string, AnyCommand>();
  for (const file of moduleFiles(dir)) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: AnyCommand };
    const def = mod.default;
    if (!def || typeof def.run !== 'function' || !def.name) {
      throw new Error(`commands/${file} does not default-export a command definition`);
    }
    if (out.has(def.name)) throw new Error(`two commands are named '${def.name}' (${file})`);
    out.set(def.name, def);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function loadRegistry(dir: string = defaultCommandsDir()): Promise<Registry> {
  const commands = await loadDir(dir);
  const subs = new Map<string, Map<string, AnyCommand>>();
  for (const [name, def] of commands) {
    if (!def.subcommands) continue;
    const subDir = join(dir, name);
    subs.set(name, existsSync(subDir) ? await loadDir(subDir) : new Map());
  }
  return {
    commands,
    subcommands: (name) => subs.get(name),
    names: () => [...commands.keys()],
  };
}
