// Test support for the CLI end-to-end suites: run `offboard` as a child process (as an admin would), with an
// environment that no OFFBOARD_* / DATABASE_URL of the developer's shell can leak into, plus a small CSV reader.
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {freePort, writeSandboxConfig} from '../../server/src/cli/sandbox_config.js';
import {type MattermostSim, type SeededWorkspace, seedWorkspace, startMattermostSim} from '../mattermost_sim/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OFFBOARD_BIN = path.join(REPO_ROOT, 'server', 'bin', 'offboard.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** process.env without the variables the configuration loader reads, so only `--config` configures the CLI. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('OFFBOARD_') || k === 'DATABASE_URL' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return {...env, ...extra};
}

/** Starts `offboard <args>` from the repository root; the caller owns the child. */
export function spawnCli(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [OFFBOARD_BIN, ...args], {
    cwd: REPO_ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `offboard <args>` to completion (killed after `timeoutMs`) and returns its exit code and output. */
export function runCli(args: readonly string[], timeoutMs = 50_000): Promise<CliResult> {
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`offboard ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({code, signal, stdout, stderr});
    });
  });
}

export interface CliFixture {
  readonly sim: MattermostSim;
  readonly seed: SeededWorkspace;
  /** The suite's main config (SQLite file and secret files beside it). */
  readonly configPath: string;
  readonly sqlitePath: string;
  readonly actionSecret: string;
  /** Every stdout and stderr the suite's CLI runs printed, for "no secret in any output" checks. */
  readonly outputs: string[];
  /** Runs the CLI and records its output. */
  cli(...args: string[]): Promise<CliResult>;
  /** Another config in a new folder (its own SQLite file), for the same simulator. */
  configIn(name: string, botToken?: string): Promise<{dir: string; path: string}>;
  close(): Promise<void>;
}

/** A seeded simulator in this process plus a config for it in a temp dir. */
export async function startCliFixture(): Promise<CliFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'offboard-cli-'));
  const sim = await startMattermostSim({});
  const seed = seedWorkspace(sim);
  const outputs: string[] = [];
  const configIn = async (name: string, botToken = seed.botToken) => {
    const dir = mkdtempSync(path.join(root, `${name}-`));
    const {path: file} = writeSandboxConfig({dir, mattermostUrl: sim.url, botToken, port: await freePort()});
    return {dir, path: file};
  };
  const main = await configIn('main');
  return {
    sim, seed, outputs, configIn,
    configPath: main.path,
    sqlitePath: path.join(main.dir, 'offboard.sqlite'),
    actionSecret: readFileSync(path.join(main.dir, 'action_secret'), 'utf8').trim(),
    async cli(...args) {
      const result = await runCli(args);
      outputs.push(result.stdout, result.stderr);
      return result;
    },
    async close() {
      await sim.close();
      rmSync(root, {recursive: true, force: true});
    },
  };
}

/** Per-test timeout of the suites that spawn the CLI: generous, since a loaded CI machine starts Node slowly. */
export const CLI_TEST_TIMEOUT_MS = 90_000;

/** Non-empty lines of a command's output. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
