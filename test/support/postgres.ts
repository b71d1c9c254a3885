// A throw-away PostgreSQL cluster for tests: initdb in a temp dir, postgres on 127.0.0.1 and a free port, gone after
// stop() — or when the test process dies, since a watcher on the wrapper's stdin pipe shuts it down then.
import {execFile, execFileSync, spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

export interface PostgresServer {
  /** Connection string of a fresh database (trust auth, user `postgres`). */
  readonly url: string;
  /** Creates another empty database on the same cluster and returns its connection string. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

const MISSING = 'PostgreSQL server binaries (initdb, postgres, pg_ctl) were not found under '
  + '/usr/lib/postgresql/*/bin; run scripts/ensure_postgres.sh (or make test) first.';

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root) : [];
  versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (['initdb', 'postgres', 'pg_ctl'].every((tool) => existsSync(path.join(bin, tool)))) return bin;
  }
  throw new Error(MISSING);
}

/** PostgreSQL refuses to run as root: as root, every server command runs as the `postgres` OS user. */
function asServerUser(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

function postgresOsUser(): {uid: number; gid: number} {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).trim());
    return {uid, gid};
  } catch {
    throw new Error(`running as root needs the "postgres" OS user. ${MISSING}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

// Runs postgres in the background, shuts it down as soon as stdin reaches EOF (our process ended or stop() closed it),
// then prints the end of the server log (for start-up errors) and removes the temp dir. Background jobs get /dev/null
// as stdin, hence the explicit fd 3.
const WRAPPER = `
exec 3<&0
"$1/postgres" -D "$2" -k "$3" -h 127.0.0.1 -p "$4" -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c max_connections=200 >"$3/postgres.log" 2>&1 3<&- &
pg=$!
( read -r _ <&3; kill -QUIT "$pg" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$pg"
status=$?
kill "$watcher" 2>/dev/null
tail -n 30 "$3/postgres.log" >&2 || true
rm -rf "$3"
exit $status
`;

async function waitForServer(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited = false;
  child.once('close', () => {
    exited = true;
  });
  for (;;) {
    const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', database: 'postgres'});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (e) {
      await client.end().catch(() => undefined);
      if (exited || Date.now() > deadline) {
        throw new Error(`postgres did not start on port ${port}: ${(e as Error).message}\n${log()}`);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findBinDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'offboard-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const {uid, gid} = postgresOsUser();
    chownSync(dir, uid, gid);
  }
  try {
    const [cmd, args] = asServerUser(path.join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    await execFileAsync(cmd, args);
  } catch (e) {
    rmSync(dir, {recursive: true, force: true});
    throw new Error(`initdb failed: ${(e as Error).message}`);
  }

  const port = await freePort();
  const [cmd, args] = asServerUser('sh', ['-c', WRAPPER, 'sh', bin, data, dir, String(port)]);
  const child = spawn(cmd, args, {stdio: ['pipe', 'ignore', 'pipe'], detached: false});
  child.stdin?.on('error', () => undefined);
  let serverLog = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    serverLog = (serverLog + chunk.toString('utf8')).slice(-4000);
  });
  try {
    await waitForServer(port, child, () => serverLog);
  } catch (e) {
    child.stdin?.end();
    rmSync(dir, {recursive: true, force: true});
    throw e;
  }

  const pgCtlStop = asServerUser(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
  const onExit = (): void => {
    // A test process that ends without stop(): stop the server synchronously, the wrapper then removes the dir.
    try {
      execFileSync(pgCtlStop[0], pgCtlStop[1], {stdio: 'ignore'});
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', onExit);

  let databases = 0;
  const createDatabase = async (name = `offboard_test_${++databases}`): Promise<string> => {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name}`);
    const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', database: 'postgres'});
    await client.connect();
    try {
      await client.query(`create database ${name}`);
    } finally {
      await client.end();
    }
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener('exit', onExit);
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      await execFileAsync(pgCtlStop[0], pgCtlStop[1]).catch(() => undefined);
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, {recursive: true, force: true});
    })();
    return stopped;
  };
  let url: string;
  try {
    url = await createDatabase();
  } catch (e) {
    await stop();
    throw e;
  }
  return {url, createDatabase, stop};
}
