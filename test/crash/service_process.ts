// The offboarding service as a separate OS process (`offboard start --config <file>`), so a test can SIGKILL it the way
// a crash, an OOM kill or a lost node would: no shutdown hook, no lease release, no final write.
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly pid: number;
  /** The executor's lease owner in that process: `${hostname()}-${pid}` (server/src/service/service.ts). */
  readonly owner: string;
  /** Resolves when the process has exited (and its streams are closed). */
  readonly exited: Promise<ServiceExit>;
  /** The tail of what it wrote (JSON log lines on stdout, anything else on stderr), for failure messages. */
  output(maxChars?: number): string;
  /** Sends `signal` (SIGKILL by default) and waits for the exit; a no-op for a process that already exited. */
  kill(signal?: NodeJS.Signals): Promise<ServiceExit>;
  /** Freezes the process (SIGSTOP) and resolves once it is stopped, so what a test reads cannot change under it. */
  pause(): Promise<void>;
  resume(): void;
}

export interface StartServiceProcessInput {
  /** Repository root: the CLI runs from there, like `npm run offboard -- start`. */
  readonly root: string;
  readonly configPath: string;
  /** The service's base URL (config service.public_url); /healthz answering there means it is up. */
  readonly serviceUrl: string;
  readonly timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Linux reports a stopped process as state T in /proc/<pid>/stat (proc(5)); elsewhere a short wait stands in. */
async function waitUntilStopped(pid: number): Promise<void> {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) {
    await sleep(50);
    return;
  }
  const deadline = Date.now() + 2000;
  // The command name (2nd field) is in parentheses and may hold spaces: the state follows the last ')'.
  const state = (): string => {
    const text = readFileSync(stat, 'utf8');
    return text.slice(text.lastIndexOf(')') + 1).trim().charAt(0);
  };
  while (state() !== 'T' && state() !== 't') {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not stop after SIGSTOP`);
    await sleep(1);
  }
}

/** Spawns the CLI and resolves once /healthz answers (commands are registered before the HTTP app listens). */
export async function startServiceProcess(input: StartServiceProcessInput): Promise<ServiceProcess> {
  // Only the config file configures the child: OFFBOARD_* variables of the test environment must not leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OFFBOARD_')));
  const cli = join(input.root, 'server/bin/offboard.js');
  const child = spawn(process.execPath, [cli, 'start', '--config', input.configPath],
    {cwd: input.root, env, stdio: ['ignore', 'pipe', 'pipe']});
  let captured = '';
  // The pipes are always drained: a child writing logs into a full pipe would stall.
  const capture = (chunk: Buffer) => {
    captured = (captured + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  let running = true;
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('close', (code, signal) => {
      running = false;
      resolve({code, signal});
    });
  });
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', reject);
  });

  const proc: ServiceProcess = {
    pid: spawned,
    owner: `${hostname()}-${spawned}`,
    exited,
    output: (maxChars = 4000) => captured.slice(-maxChars),
    async kill(signal = 'SIGKILL') {
      if (running) child.kill(signal);
      return exited;
    },
    async pause() {
      if (!running || !child.kill('SIGSTOP')) throw new Error(`process ${spawned} is not running`);
      await waitUntilStopped(spawned);
    },
    resume() {
      if (running) child.kill('SIGCONT');
    },
  };

  const deadline = Date.now() + (input.timeoutMs ?? 20_000);
  for (;;) {
    if (!running) {
      throw new Error(`the service process exited before it was healthy (${JSON.stringify(await exited)}):\n`
        + proc.output());
    }
    try {
      const res = await fetch(`${input.serviceUrl}/healthz`, {signal: AbortSignal.timeout(1000)});
      if (res.ok) return proc;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`the service process did not answer /healthz within ${input.timeoutMs ?? 20_000} ms:\n`
        + proc.output());
    }
    await sleep(50);
  }
}
