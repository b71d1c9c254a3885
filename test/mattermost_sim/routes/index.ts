// Every implemented operation, keyed by the spec's operationId.

import {botRoutes} from './bots.js';
import {channelRoutes} from './channels.js';
import {commandExecuteRoutes} from './command_execute.js';
import {commandRoutes} from './commands.js';
import type {RouteTable} from './context.js';
import {filePluginRoutes} from './files_plugins.js';
import {hookRoutes} from './hooks.js';
import {interactiveRoutes} from './interactive.js';
import {postRoutes} from './posts.js';
import {systemRoutes} from './system.js';
import {teamRoutes} from './teams.js';
import {userCredentialRoutes} from './user_credentials.js';
import {userRoutes} from './users.js';

export const ROUTES: RouteTable = {
  ...systemRoutes, ...userRoutes, ...userCredentialRoutes, ...teamRoutes, ...channelRoutes, ...postRoutes,
  ...commandRoutes, ...commandExecuteRoutes, ...hookRoutes, ...botRoutes, ...interactiveRoutes, ...filePluginRoutes,
};

/** Operations that work without a session (APIHandler rather than APISessionRequired on the server). */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set(['GetPing', 'GetClientConfig', 'OpenInteractiveDialog']);
