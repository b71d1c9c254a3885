// startHostPage: a page that stands in for the Mattermost webapp around the plugin bundle, backed by the simulator.
// It serves the host app and the bundle, signs the browser in with a real web session (MMAUTHTOKEN + MMCSRF
// cookies), proxies /api/v4 to the simulator (same origin, as in Mattermost) and relays websocket events as SSE.
import {existsSync, readFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {MattermostSim} from '../mattermost_sim/index.js';
import {createSession} from '../mattermost_sim/ops_users.js';
import {avatarSvg, relayEvents} from './events.js';
import {ensureHostBundle} from './host_build.js';
import {renderPage, type Theme} from './html.js';
import {proxyToSim} from './proxy.js';

export interface HostPageOptions {
  /** The simulator: its URL, its in-process websocket events and web sessions. */
  readonly sim: MattermostSim;
  /** Who is signed in unless the URL asks for someone else (`?user=<username>`). */
  readonly userId: string;
  readonly teamId: string;
  /** The channel shown first (it must be in a team where the service registered `/offboard`). */
  readonly channelId: string;
  /**
   * The built plugin bundle (webapp/dist/main.js). Without it the page loads the plugins enabled on the simulator
   * (`make deploy` / deployPlugin), from the server's /static/plugins, as the webapp does.
   */
  readonly bundlePath?: string;
  readonly pluginId?: string;
}

export interface HostPage {
  /** Signed in as `userId`, light theme. */
  readonly url: string;
  urlFor(o: {username?: string; theme?: Theme}): string;
  close(): Promise<void>;
}

function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k) out.set(k, v.join('='));
  }
  return out;
}

export async function startHostPage(o: HostPageOptions): Promise<HostPage> {
  if (o.bundlePath !== undefined && !existsSync(o.bundlePath)) {
    throw new Error(`the plugin bundle ${o.bundlePath} does not exist: run \`make dist\` first`);
  }
  const hostBundle = await ensureHostBundle();
  const pluginId = o.pluginId ?? 'offboarding';
  const bundleUrl = `/static/plugins/${pluginId}/${pluginId}_bundle.js`;
  const sessions = new Map<string, {token: string; csrf: string}>();

  /** A live web session for the user (a new one if the last was revoked), like logging in. */
  const sessionFor = (userId: string) => {
    const known = sessions.get(userId);
    if (known && o.sim.state.sessionByToken(known.token)) return known;
    const session = createSession(o.sim.core, userId, {browser: 'Chromium (host page)'});
    const fresh = {token: session.token, csrf: String(session.props['csrf'])};
    sessions.set(userId, fresh);
    return fresh;
  };
  const userOf = (req: IncomingMessage): string | undefined => {
    const token = cookies(req).get('MMAUTHTOKEN');
    return token === undefined ? undefined : o.sim.state.sessionByToken(token)?.user_id;
  };

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (req.method === 'GET' && url.pathname === '/') {
      const username = url.searchParams.get('user');
      const user = username ? o.sim.state.userByUsername(username.toLowerCase()) : o.sim.state.user(o.userId);
      if (!user) {
        res.writeHead(404, {'Content-Type': 'text/plain'}).end(`no user "${username ?? o.userId}"`);
        return;
      }
      const {token, csrf} = sessionFor(user.id);
      const theme: Theme = url.searchParams.get('theme') === 'dark' ? 'dark' : 'light';
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Set-Cookie': [
          `MMAUTHTOKEN=${token}; Path=/; HttpOnly; SameSite=Lax`,
          `MMCSRF=${csrf}; Path=/; SameSite=Lax`,
          `MMUSERID=${user.id}; Path=/; SameSite=Lax`,
        ],
      }).end(renderPage({
        teamId: o.teamId, channelId: o.channelId, theme, plugins: o.bundlePath ? [{id: pluginId, bundleUrl}] : null,
      }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/static/host.js') {
      res.writeHead(200, {'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store'})
        .end(readFileSync(hostBundle));
      return;
    }
    if (req.method === 'GET' && url.pathname === bundleUrl && o.bundlePath) {
      // Read on every request so a rebuilt bundle is picked up without restarting the page.
      res.writeHead(200, {'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store'})
        .end(readFileSync(o.bundlePath));
      return;
    }
    const avatar = /^\/api\/v4\/users\/([a-z0-9]{26})\/image$/.exec(url.pathname);
    if (req.method === 'GET' && avatar) {
      // The simulator has no profile images; the server would answer with a generated default like this one.
      const user = o.sim.state.user(avatar[1] ?? '');
      if (!user || userOf(req) === undefined) {
        res.writeHead(user ? 401 : 404).end();
        return;
      }
      res.writeHead(200, {'Content-Type': 'image/svg+xml'}).end(avatarSvg(user));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/host/events') {
      const userId = userOf(req);
      if (userId === undefined) {
        res.writeHead(401).end();
        return;
      }
      relayEvents(o.sim, userId, req, res);
      return;
    }
    if (url.pathname.startsWith('/api/v4/') || url.pathname.startsWith('/static/plugins/')) {
      proxyToSim(o.sim.url, req, res);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, {'Content-Type': 'text/plain'}).end('not found');
  };

  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urlFor = ({username, theme}: {username?: string; theme?: Theme}) => {
    const q = new URLSearchParams();
    if (username) q.set('user', username);
    if (theme === 'dark') q.set('theme', 'dark');
    const s = q.toString();
    return `${base}/${s ? `?${s}` : ''}`;
  };
  return {
    url: urlFor({}),
    urlFor,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
