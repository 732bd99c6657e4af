// `npm run stress`: the reliability harnesses at full counts (100 kills per operation, 8 concurrent
// processes, 10x fuzz cases, the secrets scan), then the figures added up, printed and written to
// <out>/stress-figures.json. <out> is the first argument, else $EDGELAB_STRESS_OUT, else
// $EDGELAB_DATA_ROOT/stress, else <tmp>/edgelab-stress — never inside the repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = process.argv[2] ?? process.env.EDGELAB_STRESS_OUT ?? (process.env.EDGELAB_DATA_ROOT ? join(process.env.EDGELAB_DATA_ROOT, 'stress') : join(tmpdir(), 'edgelab-stress'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const env = {
  ...process.env,
  EDGELAB_STRESS: '1',
  EDGELAB_STRESS_OUT: out,
  EDGELAB_KILL_POINTS: process.env.EDGELAB_KILL_POINTS ?? '100',
  EDGELAB_CONCURRENCY: process.env.EDGELAB_CONCURRENCY ?? '8',
  EDGELAB_FUZZ_SCALE: process.env.EDGELAB_FUZZ_SCALE ?? '10',
};
const run = spawnSync('npx', ['vitest', 'run', 'test/reliability'], { stdio: 'inherit', env });
const figures = readdirSync(out).filter((f) => f.endsWith('.json') && f !== 'stress-figures.json').map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')));
const sum = (key) => figures.reduce((s, f) => s + (Number(f[key]) || 0), 0);
const totals = {
  operationsKilled: sum('operationsKilled'),
  invariantsChecked: sum('invariantsChecked'),
  fuzzCases: sum('fuzzCases'),
  secretsFound: sum('secretsFound'),
  secretsScanFiles: sum('secretsScanFiles'),
  concurrentProcesses: sum('processes'),
  harnessFailures: sum('failures'),
  testsPassed: run.status === 0,
};
const report = { totals, harnesses: figures };
writeFileSync(join(out, 'stress-figures.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('\nedgelab stress figures');
for (const [k, v] of Object.entries(totals)) console.log(`  ${k.padEnd(22)} ${v}`);
console.log(`written to ${join(out, 'stress-figures.json')}`);
process.exit(run.status ?? 1);
