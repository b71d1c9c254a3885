// Finds an installed package's folder by walking up node_modules from here. Neither @octokit/openapi (its index loads
// all ten descriptions) nor @octokit/graphql-schema (its exports hide package.json) may be imported for this.
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export function packageDir(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed (looked in every node_modules above this file)`);
    dir = parent;
  }
}
