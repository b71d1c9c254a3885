// /files (multipart upload, download) and /plugins (upload a bundle, enable, list) — api4/file.go, api4/plugin.go.

import {ApiError, badRequest, forbidden, invalidParam, notFound} from '../errors.js';
import {fileInfoForClient, storeFile} from '../ops_posts.js';
import {requireChannel} from '../ops_workspace.js';
import {hasChannelPermission} from '../permissions.js';
import {fnv64a, pluginRootFiles, readTarGz} from '../tar.js';
import type {InstalledPlugin} from '../types.js';
import {body, caller, json, param, requireAdmin, statusOk} from './context.js';
import type {RouteTable} from './context.js';

type Json = Record<string, unknown>;

/** Where the server serves an enabled plugin's webapp bundle (Manifest.ClientManifest). */
export function webappBundlePath(plugin: InstalledPlugin): string | undefined {
  const webapp = plugin.manifest['webapp'] as Json | undefined;
  const bundlePath = typeof webapp?.['bundle_path'] === 'string' ? webapp['bundle_path'] : undefined;
  const bundle = bundlePath === undefined ? undefined : plugin.files.get(bundlePath.replace(/^\.\//, ''));
  if (bundle === undefined) return undefined;
  return `/static/plugins/${plugin.id}/${plugin.id}_${fnv64a(bundle)}_bundle.js`;
}

function parseManifest(files: ReadonlyMap<string, Buffer>): Json {
  const raw = files.get('plugin.json');
  if (raw === undefined) throw badRequest('app.plugin.manifest.missing', 'Manifest not found in extracted plugin.');
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('app.plugin.manifest.invalid', 'The plugin manifest is not valid JSON.');
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw badRequest('app.plugin.manifest.invalid', 'The plugin manifest is not valid JSON.');
  }
  const id = (manifest as Json)['id'];
  if (typeof id !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9-_.]{2,189}$/.test(id)) {
    throw badRequest('app.plugin.invalid_id.app_error', 'Plugin Id must be at least 3 characters, at most 190 characters and match ^[a-zA-Z0-9-_\\.]+$.');
  }
  return manifest as Json;
}

export const filePluginRoutes: RouteTable = {
  UploadFile: (ctx) => {
    const user = caller(ctx);
    const fields = body(ctx);
    const channelId = (typeof fields['channel_id'] === 'string' ? fields['channel_id'] : '') || (ctx.query.get('channel_id') ?? '');
    const channel = requireChannel(ctx.core, channelId);
    if (!hasChannelPermission(ctx.core.state, user, channel, 'upload_file')) throw forbidden();
    const uploads = ctx.uploads.filter((u) => u.field === 'files');
    if (uploads.length === 0) throw invalidParam('files');
    const infos = uploads.map((u) => storeFile(ctx.core, {user_id: user.id, channel_id: channel.id, name: u.filename, mime_type: u.mimeType, content: u.content}));
    return json({file_infos: infos.map(fileInfoForClient), client_ids: []}, 201);
  },

  GetFile: (ctx) => {
    const user = caller(ctx);
    const stored = ctx.core.state.files.get(param(ctx, 'file_id'));
    if (stored === undefined || stored.info.delete_at !== 0) throw notFound('app.file_info.get.app_error', 'Unable to get the file info.');
    const {info} = stored;
    const channel = ctx.core.state.channel(info.channel_id);
    const allowed = info.post_id === ''
      ? info.user_id === user.id
      : channel !== undefined && hasChannelPermission(ctx.core.state, user, channel, 'read_channel');
    if (!allowed) throw forbidden();
    return {
      status: 200, raw: stored.content, contentType: info.mime_type || 'application/octet-stream',
      headers: {'Content-Disposition': `attachment;filename="${info.name.replace(/"/g, '')}"`, 'X-Content-Type-Options': 'nosniff'},
    };
  },

  UploadPlugin: (ctx) => {
    requireAdmin(ctx);
    if (!ctx.core.config.enablePluginUploads) {
      throw new ApiError(501, 'app.plugin.upload_disabled.app_error', 'Plugins and/or plugin uploads have been disabled.');
    }
    const upload = ctx.uploads.find((u) => u.field === 'plugin');
    if (upload === undefined) throw invalidParam('plugin');
    let files: Map<string, Buffer>;
    try {
      files = pluginRootFiles(readTarGz(upload.content));
    } catch {
      throw badRequest('app.plugin.extract.app_error', 'Encountered error extracting plugin.');
    }
    const manifest = parseManifest(files);
    const id = manifest['id'] as string;
    const existing = ctx.core.state.plugins.get(id);
    if (existing !== undefined && body(ctx)['force'] !== 'true') {
      throw badRequest('app.plugin.install_id.app_error', 'Unable to install plugin. A plugin with the same ID is already installed.');
    }
    ctx.core.state.plugins.set(id, {id, manifest, bundle: upload.content, files, enabled: existing?.enabled ?? false});
    return json(manifest, 201);
  },

  EnablePlugin: (ctx) => {
    requireAdmin(ctx);
    const plugin = ctx.core.state.plugins.get(param(ctx, 'plugin_id'));
    if (plugin === undefined) throw notFound('app.plugin.not_installed.app_error', 'Plugin is not installed.');
    plugin.enabled = true;
    return statusOk();
  },

  GetPlugins: (ctx) => {
    requireAdmin(ctx);
    const plugins = [...ctx.core.state.plugins.values()];
    const info = (p: InstalledPlugin): Json => ({...p.manifest, prepackaged: false});
    return json({active: plugins.filter((p) => p.enabled).map(info), inactive: plugins.filter((p) => !p.enabled).map(info)});
  },

  GetWebappPlugins: (ctx) => {
    caller(ctx);
    const out: Json[] = [];
    for (const p of ctx.core.state.plugins.values()) {
      const bundlePath = p.enabled ? webappBundlePath(p) : undefined;
      if (bundlePath !== undefined) out.push({id: p.id, version: p.manifest['version'] ?? '', webapp: {bundle_path: bundlePath}});
    }
    return json(out);
  },
};
