// Jest globalSetup of the webapp project: generates webapp/src/manifest.ts from plugin.json before any test imports
// it (the file is not committed). Plain .mjs because jest loads globalSetup outside its transform pipeline.
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {tsImport} from 'tsx/esm/api';

export default async function setup() {
  const {writeManifestModule} = await tsImport('./manifest.ts', import.meta.url);
  writeManifestModule(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
}
