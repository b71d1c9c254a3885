// Public API of the Mattermost simulator.

export {startMattermostSim, signTriggerId} from './sim.js';
export type {MattermostSim, MattermostSimOptions} from './sim.js';
export {seedAdmin, seedLargeWorkspace, seedWorkspace} from './seed.js';
export type {LargeWorkspaceOptions, SeedChannel, SeedTeam, SeedUser, SeededWorkspace} from './seed.js';
export type {SimConfig, SimCore, SimEventName} from './core.js';
export type {SimState} from './state.js';
export type {RateLimitOptions} from './rate_limit.js';
export type {FaultOptions, RequestLogEntry} from './server.js';
export type * from './types.js';
