// Compiles the webapp with webpack's Node API (webpack-cli is not installed) into webapp/dist/main.js, and proves the
// libraries the Mattermost webapp provides stayed external: a second React in the bundle breaks hooks at runtime.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import type {Configuration, Stats} from 'webpack';

/** What the host page and Mattermost put on `window` (webapp/channels/src/plugins/export.ts), as webpack externals. */
export const HOST_EXTERNALS: Readonly<Record<string, string>> = {
  'react': 'React',
  'react-dom': 'ReactDOM',
  'redux': 'Redux',
  'react-redux': 'ReactRedux',
  'prop-types': 'PropTypes',
};

/** Packages that must never be bundled (the externals above plus what they pull in). */
const HOST_PACKAGES = [...Object.keys(HOST_EXTERNALS), 'scheduler', 'use-sync-external-store'];

/** Issue #4: the production bundle stays at or below 200 KB minified. */
export const BUNDLE_LIMIT_BYTES = 200 * 1024;

const require = createRequire(import.meta.url);
// Loaded with require: an ESM import of this CommonJS module makes jest read every export, which fires webpack's
// deprecation warnings for its legacy aliases on each test run.
const webpack = require('webpack') as typeof import('webpack');

/** swc options shared by the plugin and the host page: TSX, React's classic runtime (only `React` is a global). */
export function swcRule(): NonNullable<Configuration['module']>['rules'] {
  return [{
    test: /\.tsx?$/,
    exclude: /node_modules/,
    use: {
      loader: require.resolve('swc-loader'),
      options: {
        jsc: {
          parser: {syntax: 'typescript', tsx: true},
          transform: {react: {runtime: 'classic'}},
          target: 'es2020',
        },
      },
    },
  }];
}

export function webappConfig(
  rootDir: string, mode: 'production' | 'development' = 'production', outputDir = join(rootDir, 'webapp', 'dist'),
): Configuration {
  return {
    mode,
    context: join(rootDir, 'webapp'),
    entry: join(rootDir, 'webapp', 'src', 'index.tsx'),
    output: {path: outputDir, filename: 'main.js', clean: true},
    devtool: mode === 'development' ? 'eval-source-map' : false,
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // Sources import './x.js' (ESM style); the file on disk is x.ts or x.tsx.
      extensionAlias: {'.js': ['.ts', '.tsx', '.js']},
    },
    module: {rules: swcRule()},
    externals: HOST_EXTERNALS,
    externalsType: 'window',
    performance: {hints: false},
  };
}

export interface BundleResult {
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Resources of every module webpack put into the bundle. */
  readonly modules: readonly string[];
}

/** Runs one webpack compilation and fails with webpack's own error text. */
export function runWebpack(config: Configuration): Promise<Stats> {
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (!stats) return reject(new Error('webpack returned no stats'));
      if (stats.hasErrors()) {
        return reject(new Error(`webpack failed:\n${stats.toString({all: false, errors: true, errorDetails: true})}`));
      }
      resolve(stats);
    });
  });
}

/** Names of host packages whose code made it into the bundle (empty when the externals held). */
export function bundledHostPackages(modules: readonly string[]): string[] {
  const found = new Set<string>();
  for (const resource of modules) {
    for (const pkg of HOST_PACKAGES) {
      if (resource.replace(/\\/g, '/').includes(`/node_modules/${pkg}/`)) found.add(pkg);
    }
  }
  return [...found].sort();
}

/** Compiles webapp/src into webapp/dist/main.js (or `outputDir`); throws if a host library was bundled. */
export async function compileWebapp(
  rootDir: string, mode: 'production' | 'development' = 'production', outputDir = join(rootDir, 'webapp', 'dist'),
): Promise<BundleResult> {
  const stats = await runWebpack(webappConfig(rootDir, mode, outputDir));
  const json = stats.toJson({all: false, modules: true, nestedModules: true});
  const modules: string[] = [];
  const collect = (list: readonly {nameForCondition?: string | null; modules?: unknown}[] | undefined) => {
    for (const m of list ?? []) {
      if (m.nameForCondition) modules.push(m.nameForCondition);
      collect(m.modules as typeof list);
    }
  };
  collect(json.modules);
  const bundled = bundledHostPackages(modules);
  if (bundled.length > 0) {
    throw new Error(`the bundle contains ${bundled.join(', ')}; these must come from the host (webpack externals)`);
  }
  const path = join(outputDir, 'main.js');
  const bytes = readFileSync(path);
  return {path, bytes: bytes.length, gzipBytes: gzipSync(bytes).length, modules};
}
