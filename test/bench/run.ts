// `npm run bench [-- scenario ...]`: runs benchmark scenarios (test/bench/<name>.ts, default export) in one process
// and prints one JSON line per scenario. Speed targets are checked here, never in timed unit tests.
import {readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export interface BenchScenario {
  /** Runs the scenario and returns the JSON line's fields (always including `scenario`). */
  (): Promise<Record<string, unknown> & {scenario: string}>;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ') || '(none)'}\n`);
  process.exit(2);
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : available) {
  const mod = await import(join(here, `${name}.ts`)) as {default: BenchScenario};
  try {
    process.stdout.write(`${JSON.stringify(await mod.default())}\n`);
  } catch (e) {
    failed = true;
    process.stderr.write(`${name}: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  }
}
process.exit(failed ? 1 : 0);
