// Builds the host page's browser app (test/host_page/app) with webpack into dist/host_page/host.js, once per
// source change. React comes from webapp/node_modules (18.2.0, the version the plugin is built against).
import {existsSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runWebpack, swcRule} from '../../webapp/build/bundle.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_BUNDLE = join(rootDir, 'dist', 'host_page', 'host.js');
const APP_DIR = join(rootDir, 'test', 'host_page', 'app');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let building: Promise<string> | null = null;

/** Path of an up-to-date host bundle (built when missing or older than its sources). */
export function ensureHostBundle(): Promise<string> {
  if (existsSync(HOST_BUNDLE) && statSync(HOST_BUNDLE).mtimeMs >= newestSource(APP_DIR)) return Promise.resolve(HOST_BUNDLE);
  const staging = join(dirname(HOST_BUNDLE), `.build-${process.pid}`);
  building ??= runWebpack({
    mode: 'production',
    context: APP_DIR,
    entry: join(APP_DIR, 'index.tsx'),
    // Built beside the target and renamed into place: jest workers may build at the same time.
    output: {path: staging, filename: 'host.js'},
    devtool: false,
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      extensionAlias: {'.js': ['.ts', '.tsx', '.js']},
      alias: {
        'react$': join(rootDir, 'webapp', 'node_modules', 'react'),
        'react-dom$': join(rootDir, 'webapp', 'node_modules', 'react-dom'),
        'react-dom/client$': join(rootDir, 'webapp', 'node_modules', 'react-dom', 'client.js'),
      },
    },
    module: {rules: swcRule()},
    performance: {hints: false},
  }).then(() => {
    renameSync(join(staging, 'host.js'), HOST_BUNDLE);
    return HOST_BUNDLE;
  }).finally(() => {
    rmSync(staging, {recursive: true, force: true});
    building = null;
  });
  return building;
}
