// Locates the shared API specs (data files kept outside the repo, next to it or in /work/shared/specs).
// Order: <repo>/../shared/specs, /work/shared/specs, then $OFFBOARD_SPECS_DIR; the error lists every place tried.

import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of a spec file such as `mattermost-openapi-v4.json`; throws if it is nowhere to be found. */
export function findSpec(file: string): string {
  const dirs = [path.resolve(REPO_ROOT, '..', 'shared', 'specs'), '/work/shared/specs'];
  const fromEnv = process.env['OFFBOARD_SPECS_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') dirs.push(path.resolve(fromEnv));
  for (const dir of dirs) {
    const candidate = path.join(dir, file);
    if (existsSync(candidate)) return candidate;
  }
  const tried = dirs.map((d) => `  - ${path.join(d, file)}`).join('\n');
  const envHint = fromEnv === undefined || fromEnv === '' ? ' (OFFBOARD_SPECS_DIR is not set)' : '';
  throw new Error(`Spec file "${file}" not found. Looked in:\n${tried}\nSet OFFBOARD_SPECS_DIR to the folder holding it${envHint}.`);
}
