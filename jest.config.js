// Root jest config: native ESM (node --experimental-vm-modules) with swc stripping types, settled once for all packages.
// Two projects: the node one (server, test/) and the webapp one (jsdom, TSX with React's classic runtime);
// maxWorkers is a run-wide option, so it sits at the root.

/** The server and test/ packages (node environment). */
const node = {
  testEnvironment: 'node',
  roots: ['<rootDir>/server/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {
    '^.+\\.ts$': ['@swc/jest', {jsc: {parser: {syntax: 'typescript'}, target: 'es2022'}, module: {type: 'es6'}}],
  },
  testTimeout: 30000,
};

// The webapp resolves React from webapp/node_modules (18.2.0, what the host provides): the root copy is React 19,
// pulled in by @testing-library/react, and two Reacts in one render break hooks.
const webappReact = '<rootDir>/webapp/node_modules';
const swcWebapp = (tsx) => ['@swc/jest', {
  jsc: {
    parser: {syntax: 'typescript', tsx},
    transform: {react: {runtime: 'classic'}},
    target: 'es2022',
  },
  module: {type: 'es6'},
}];

/**
 * The webapp plugin: jsdom plus the web classes it lacks (webapp/build/jsdom_environment.mjs); the build tooling
 * tests opt into node with a @jest-environment docblock. globalSetup generates webapp/src/manifest.ts from plugin.json.
 */
const webapp = {
  displayName: 'webapp',
  testEnvironment: '<rootDir>/webapp/build/jsdom_environment.mjs',
  roots: ['<rootDir>/webapp'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^react$': `${webappReact}/react/index.js`,
    '^react/(.*)$': `${webappReact}/react/$1`,
    '^react-dom$': `${webappReact}/react-dom/index.js`,
    '^react-dom/(.*)$': `${webappReact}/react-dom/$1`,
  },
  transform: {
    '^.+\\.ts$': swcWebapp(false),
    '^.+\\.tsx$': swcWebapp(true),
  },
  globalSetup: '<rootDir>/webapp/build/jest_global_setup.mjs',
  testTimeout: 30000,
};

/** @type {import('jest').Config} */
export default {
  projects: [node, webapp],
  testTimeout: 30000,
  maxWorkers: 2,
};
