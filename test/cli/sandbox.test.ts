// End to end: `offboard sandbox` (make demo) as a child process: the one-line JSON handshake, both servers answering,
// a clean exit on SIGTERM, and `--once --json` offboarding the seeded person through the slash-command RPC path.
import type {ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, describe, expect, it, jest} from '@jest/globals';
import {CLI_TEST_TIMEOUT_MS, lines, runCli, spawnCli} from './cli_support.js';

jest.setTimeout(CLI_TEST_TIMEOUT_MS);

const KEYS = ['admin_token', 'channel_id', 'mattermost_url', 'service_url', 'subject', 'team_id'];

const children: ChildProcess[] = [];

afterAll(() => {
  // Only if a test failed half-way: never leave a sandbox running.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function exited(child: ChildProcess, timeoutMs: number): Promise<{code: number | null; signal: string | null}> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({code: child.exitCode, signal: child.signalCode});
      return;
    }
    const timer = setTimeout(() => reject(new Error(`sandbox did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({code, signal});
    });
  });
}

describe('offboard sandbox', () => {
  it('prints one JSON line, serves both URLs, and exits 0 on SIGTERM without printing more', async () => {
    const child = spawnCli(['sandbox']);
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no JSON line within 20 s; stderr: ${stderr}`)), 20_000);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const end = stdout.indexOf('\n');
        if (end >= 0) {
          clearTimeout(timer);
          resolve(stdout.slice(0, end));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sandbox exited with ${code} before printing; stderr: ${stderr}`));
      });
    });
    const info = JSON.parse(first) as Record<string, string>;
    // host_page_url joins the required keys when the plugin bundle is built (make dist, part of make test).
    expect(Object.keys(info).filter((k) => k !== 'host_page_url').sort()).toEqual(KEYS);
    expect(info['subject']).toBe('dana');
    const mm = info['mattermost_url']!;
    const service = info['service_url']!;
    expect(mm).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const ping = await fetch(`${mm}/api/v4/system/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({status: 'OK'});
    const health = await fetch(`${service}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({status: 'ok'});
    if (existsSync(new URL('../../webapp/dist/main.js', import.meta.url))) {
      const page = await fetch(info['host_page_url']!);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    }
    // The printed token, team and channel are real: the admin can read the channel in that team.
    const channel = await fetch(`${mm}/api/v4/channels/${info['channel_id']}`,
      {headers: {Authorization: `Bearer ${info['admin_token']}`}});
    expect(channel.status).toBe(200);
    expect(await channel.json()).toMatchObject({id: info['channel_id'], team_id: info['team_id']});

    child.kill('SIGTERM');
    expect(await exited(child, 5000)).toEqual({code: 0, signal: null});
    expect(stdout).toBe(`${first}\n`);
    // Both servers are gone with it.
    await expect(fetch(`${service}/healthz`)).rejects.toThrow();
    await expect(fetch(`${mm}/api/v4/system/ping`)).rejects.toThrow();
  });

  it('--once --json offboards dana through commands/execute and prints the report', async () => {
    const res = await runCli(['sandbox', '--once', '--json'], 60_000);
    expect(res.code).toBe(0);
    expect(lines(res.stdout)).toHaveLength(1);
    const report = JSON.parse(res.stdout) as {
      run: {id: string; status: string; subject: {username: string}};
      steps: {id: string; provider: string; action: string; target: string; state: string; verified: boolean}[];
    };
    expect(report.run.id).toMatch(/^[a-z0-9]{26}$/);
    expect(report.run.status).toBe('completed');
    expect(report.run.subject.username).toBe('dana');
    expect(report.steps.length).toBeGreaterThanOrEqual(10);
    for (const step of report.steps) {
      expect(step).toEqual(expect.objectContaining({id: expect.any(String), provider: expect.stringMatching(/^(mattermost|github|aws)$/),
        action: expect.any(String), target: expect.any(String), state: expect.stringMatching(/^(already_)?done$/),
        verified: true}));
    }
    expect(new Set(report.steps.map((s) => s.id)).size).toBe(report.steps.length);
    expect(report.steps.map((s) => s.action)).toContain('deactivate_account');
    // The sandbox's organizations put the person in GitHub and AWS too, torn down completely.
    expect(new Set(report.steps.map((s) => s.provider))).toEqual(new Set(['mattermost', 'github', 'aws']));
    expect(report.steps.filter((s) => s.provider === 'github').map((s) => s.action)).toEqual(
      expect.arrayContaining(['remove_from_org', 'revoke_credential_authorization']));
    expect(report.steps.filter((s) => s.provider === 'aws').map((s) => s.action)).toEqual(
      expect.arrayContaining(['delete_user']));
  });
});
