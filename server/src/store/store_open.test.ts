// Opening the store (directories, unreachable servers, secrets in errors) and one SQLite file shared by several
// processes: each step claimed exactly once and one audit chain, with SQLite's own locking between processes.
import {afterAll, describe, expect, it} from '@jest/globals';
import {execFile} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {ConfigError} from '../engine/errors.js';
import {openStore} from './index.js';
import {createStoreTargets, runWithSteps} from './testing/store_fixtures.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const targets = createStoreTargets();
const tmp = targets.dir;
const open = targets.open;
const freshTarget = targets.fresh;

afterAll(() => targets.cleanup());

describe('openStore', () => {
  it('creates the SQLite file\'s directory, and fails clearly where it cannot', async () => {
    const nested = path.join(tmp, 'a', 'b', 'offboard.sqlite');
    await expect(open({kind: 'sqlite', options: {kind: 'sqlite', path: nested}})).resolves.toBeDefined();
    writeFileSync(path.join(tmp, 'plain-file'), '');
    await expect(openStore({kind: 'sqlite', path: path.join(tmp, 'plain-file', 'x.sqlite')}))
      .rejects.toThrow(ConfigError);
  });

  it('fails clearly on an unreachable Postgres without revealing the password', async () => {
    const error = await openStore({kind: 'postgres', url: 'postgres://offboard:s3cret-pw@127.0.0.1:1/offboard'})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/cannot connect to the Postgres store at 127\.0\.0\.1:1\/offboard/);
    expect(JSON.stringify({message: (error as Error).message, cause: String((error as Error).cause)}))
      .not.toContain('s3cret');
  });
});

describe('sqlite file shared by several processes', () => {
  it('hands every step to exactly one process and keeps one audit chain', async () => {
    const target = await freshTarget('sqlite');
    const store = await open(target);
    const stepIds = Array.from({length: 30}, (_, i) => `p${i}`);
    const runId = await runWithSteps(store, stepIds);
    const worker = path.join(tmp, 'claim_worker.mts');
    const storeUrl = pathToFileURL(path.join(repoRoot, 'server/src/store/index.ts')).href;
    writeFileSync(worker, `
      import {openStore} from ${JSON.stringify(storeUrl)};
      const [file, runId, owner, ids] = process.argv.slice(2);
      const store = await openStore({kind: 'sqlite', path: file});
      const claimed = [];
      for (;;) {
        const step = await store.claimStep(runId, JSON.parse(ids), owner, 5000, 60000);
        if (!step) break;
        claimed.push(step.id);
        await store.appendAudit(runId, {actor: owner, action: 'step.claimed', target: step.id, outcome: 'ok',
          evidence: {}, at: 5000});
      }
      await store.close();
      process.stdout.write(JSON.stringify(claimed));
    `);
    const file = target.options.kind === 'sqlite' ? target.options.path : '';
    const run = promisify(execFile);
    const outputs = await Promise.all(Array.from({length: 4}, (_, i) => run(process.execPath,
      ['--import', 'tsx', worker, file, runId, `proc${i}`, JSON.stringify(stepIds)], {cwd: repoRoot})));
    const claims = outputs.map((o) => JSON.parse(o.stdout) as string[]);
    expect(claims.flat().sort()).toEqual([...stepIds].sort());
    expect(await store.verifyAudit(runId)).toEqual({ok: true, problems: []});
    expect(await store.listAudit(runId)).toHaveLength(31);
  }, 60_000);
});
