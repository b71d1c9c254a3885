// `make deploy`: uploads dist/<id>-<version>.tar.gz to the server at MM_SERVICESETTINGS_SITEURL with MM_ADMIN_TOKEN
// (force-replacing an installed copy) and enables it. Run `make dist` first. The token is never printed.
import {existsSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {deployPlugin} from '../webapp/build/deploy.js';
import {readManifest} from '../webapp/build/manifest.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  const siteUrl = process.env['MM_SERVICESETTINGS_SITEURL'] ?? '';
  const token = process.env['MM_ADMIN_TOKEN'] ?? '';
  if (!siteUrl || !token) {
    throw new Error('set MM_SERVICESETTINGS_SITEURL (the server URL) and MM_ADMIN_TOKEN (a system admin\'s access token)');
  }
  const manifest = readManifest(rootDir);
  const tarPath = join(rootDir, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
  if (!existsSync(tarPath)) throw new Error(`${relative(rootDir, tarPath)} does not exist: run \`make dist\` first`);
  await deployPlugin({siteUrl, token, tarPath, pluginId: manifest.id});
  process.stdout.write(`deployed ${manifest.id} ${manifest.version} to ${new URL(siteUrl).origin} and enabled it\n`);
} catch (e) {
  process.stderr.write(`deploy_plugin: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
