// Uploads and enables the plugin over REST, like the starter's `pluginctl deploy` (UploadPluginForced + EnablePlugin):
// POST /api/v4/plugins (multipart `plugin`, `force=true`), then POST /api/v4/plugins/{id}/enable (api4/plugin.go).
import {readFileSync} from 'node:fs';
import {basename} from 'node:path';

export interface DeployOptions {
  /** ServiceSettings.SiteURL of the server, e.g. https://chat.example.com (no trailing /api/v4). */
  readonly siteUrl: string;
  /** A system admin's personal access token (needs sysconsole_write_plugins). */
  readonly token: string;
  readonly tarPath: string;
  readonly pluginId: string;
  readonly fetch?: typeof fetch;
}

export class DeployError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'DeployError';
  }
}

/** What to tell the admin for the refusals plugin uploads commonly hit. */
function explain(status: number, serverMessage: string, step: string): string {
  const base = `${step} failed (HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''})`;
  if (status === 401) return `${base}. MM_ADMIN_TOKEN is not a valid token for this server.`;
  if (status === 403) return `${base}. The token's user must be a system admin.`;
  if (status === 501) {
    return `${base}. Enable plugin uploads: PluginSettings.Enable=true, PluginSettings.EnableUploads=true and `
      + 'PluginSettings.RequirePluginSignature=false.';
  }
  if (status === 413) return `${base}. Raise FileSettings.MaxFileSize or the proxy's body size limit.`;
  return `${base}.`;
}

async function serverMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {message?: unknown};
    return typeof body.message === 'string' ? body.message : '';
  } catch {
    return text.slice(0, 200);
  }
}

/** Uploads (replacing an installed copy) and enables the plugin; returns the manifest the server accepted. */
export async function deployPlugin(o: DeployOptions): Promise<Record<string, unknown>> {
  const doFetch = o.fetch ?? fetch;
  let base: URL;
  try {
    base = new URL(o.siteUrl.replace(/\/+$/, '') + '/');
  } catch {
    throw new DeployError(`MM_SERVICESETTINGS_SITEURL "${o.siteUrl}" is not a URL`, null);
  }
  if (!o.token) throw new DeployError('MM_ADMIN_TOKEN is empty', null);
  const headers = {'Authorization': `Bearer ${o.token}`, 'X-Requested-With': 'XMLHttpRequest'};
  const call = async (path: string, init: RequestInit, step: string): Promise<Response> => {
    let res: Response;
    try {
      res = await doFetch(new URL(path, base), {...init, headers});
    } catch (e) {
      throw new DeployError(`${step} failed: cannot reach ${base.origin} (${e instanceof Error ? e.message : String(e)})`, null);
    }
    if (!res.ok) throw new DeployError(explain(res.status, await serverMessage(res), step), res.status);
    return res;
  };

  const form = new FormData();
  form.append('plugin', new Blob([readFileSync(o.tarPath)], {type: 'application/gzip'}), basename(o.tarPath));
  form.append('force', 'true');
  const uploaded = await call('api/v4/plugins', {method: 'POST', body: form}, 'Upload');
  const manifest = await uploaded.json() as Record<string, unknown>;
  if (manifest['id'] !== o.pluginId) {
    throw new DeployError(`the server installed plugin "${String(manifest['id'])}", expected "${o.pluginId}"`, uploaded.status);
  }
  await call(`api/v4/plugins/${encodeURIComponent(o.pluginId)}/enable`, {method: 'POST'}, 'Enable');
  return manifest;
}
