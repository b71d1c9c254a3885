// Forwards /api/v4 requests from the page to the simulator unchanged (cookies, CSRF and X-Requested-With
// included), so the plugin talks to "its" Mattermost on the page's own origin, as in production.
import {request, type IncomingMessage, type ServerResponse} from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export function proxyToSim(simUrl: string, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(req.url ?? '/', simUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host') headers[k] = v;
  }
  const upstream = request(target, {method: req.method, headers}, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) {
      if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    }
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('error', (e) => {
    if (!res.headersSent) {
      res.writeHead(502, {'Content-Type': 'application/json'})
        .end(JSON.stringify({id: 'host_page.proxy.error', message: `Mattermost is unreachable: ${e.message}`, status_code: 502}));
    } else {
      res.destroy(e);
    }
  });
  req.pipe(upstream);
}
