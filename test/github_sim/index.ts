// Public API of the GitHub simulator.

export {startGithubSim} from './sim.js';
export type {GithubSim, GithubSimOptions} from './sim.js';
export {appKeyPair, sandboxGithubSection, seedBenchOrg, seedGithubOrg} from './seed.js';
export type {BenchOrgOptions, SandboxOptions, SeededApp, SeededBench, SeededGithub} from './seed.js';
export * as ops from './ops.js';
export {GITHUB_LIMITS} from './rate_limit.js';
export type {RateLimitConfig} from './rate_limit.js';
export type {FaultOptions, RequestInfo, RequestLogEntry, ScriptedFailure} from './server.js';
export type {SimState} from './state.js';
export {startGithubSimThread} from './thread.js';
export type {GithubSimThread} from './thread.js';
export type * from './types.js';
