// /system/ping and the client configuration, which publishes the trigger_id verification key (api4/system.go).

import {ApiError} from '../errors.js';
import {json} from './context.js';
import type {RouteTable} from './context.js';

export const systemRoutes: RouteTable = {
  GetPing: () => json({ActiveSearchBackend: 'database', AndroidLatestVersion: '', AndroidMinVersion: '', IosLatestVersion: '', IosMinVersion: '', status: 'OK'}),

  GetClientConfig: (ctx) => {
    if (ctx.query.get('format') !== 'old') {
      throw new ApiError(501, 'api.config.client.old_format.app_error', 'New format for the client configuration is not supported yet. Please specify format=old in the query string.');
    }
    const {config, signing} = ctx.core;
    // The limited config anonymous clients get; every value is a string, like the server's map[string]string.
    return json({
      AsymmetricSigningPublicKey: signing.publicKeyBase64, BuildDate: '', BuildEnterpriseReady: 'false', BuildHash: 'simulator',
      BuildHashEnterprise: 'none', BuildNumber: config.buildNumber, DiagnosticId: 'mattermost-simulator', DiagnosticsEnabled: 'false',
      EnableBotAccountCreation: 'true', EnableCommands: String(config.enableCommands), EnableCustomEmoji: 'true',
      EnableDiagnostics: 'false', EnableSignInWithEmail: 'true', EnableSignInWithUsername: 'true', EnableSignUpWithEmail: 'true',
      EnableUserAccessTokens: 'true', EnableUserDeactivation: String(config.enableUserDeactivation), FeatureFlagAppsEnabled: 'false',
      NoAccounts: 'false', PluginsEnabled: 'true', SiteName: 'Mattermost', SiteURL: config.siteUrl, TelemetryId: '',
      Version: config.version,
    });
  },
};
