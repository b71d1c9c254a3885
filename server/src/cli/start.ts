// `offboard configure` and `offboard start`: print the commented configuration; run the service until a signal.
import {renderConfigTemplate} from '../config_template.js';
import {ALL_PROVIDERS} from '../providers/index.js';
import {startService} from '../service/service.js';
import {type CliOptions, loadCliConfig} from './common.js';

export function configureCommand(): void {
  process.stdout.write(renderConfigTemplate(ALL_PROVIDERS));
}

export async function startCommand(o: CliOptions): Promise<void> {
  const {config, log} = loadCliConfig(o, 'stdout');
  const service = await startService(config, {log, serve: true, execute: true});
  log.info({url: service.url, teams: service.commands.map((c) => c.teamName),
    providers: service.deps.providers.map((p) => p.id)}, 'offboarding service started');
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({signal}, 'shutting down');
      void service.close().then(resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
