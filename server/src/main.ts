// The `offboard` CLI: start | configure | check | inventory | plan | run | status | export | sandbox.
// Parsing only; each command lives in cli/ and is loaded when used, so `offboard status` does not pay for the
// sandbox's simulator. Exit codes: 0 ok, 1 failure, 2 bad usage or configuration.
import {Command, CommanderError, InvalidArgumentError, Option} from 'commander';
import {isConfigError, isOffboardError} from './engine/errors.js';
import {isRequestError} from './service/errors.js';

const program = new Command('offboard')
  .description('Offboarding for Mattermost: find and revoke everything a departing person can still reach.')
  .showHelpAfterError()
  .exitOverride();

const configOption = () => new Option('-c, --config <file>', 'configuration file (default: $OFFBOARD_CONFIG)');
const subjectOption = () => new Option('-s, --subject <who>', 'username, email or Mattermost user id').makeOptionMandatory();

function keyValue(value: string, previous: string[] = []): string[] {
  if (!/^[a-z0-9_]+\.[a-z0-9_]+=.*$/i.test(value)) {
    throw new InvalidArgumentError('expected provider.option=value, e.g. mattermost.account=keep');
  }
  return [...previous, value];
}

function identityPair(value: string, previous: string[] = []): string[] {
  if (!/^[a-z0-9_]+=\S.*$/i.test(value)) throw new InvalidArgumentError('expected system=id, e.g. github=dana-gh');
  return [...previous, value];
}

const identityOption = () => new Option('-i, --identity <system=id>',
  "the person's id in a system, instead of the automatic matching there (repeatable)").argParser(identityPair);

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

program.command('configure').description('print a commented configuration file covering every option')
  .action(async () => (await import('./cli/start.js')).configureCommand());

program.command('check').description('test every configured connection (one line per system)')
  .addOption(configOption())
  .action(async (o) => { process.exitCode = await (await import('./cli/check.js')).checkCommand(o); });

program.command('start').description('run the service (HTTP callbacks for Mattermost + executor)')
  .addOption(configOption())
  .option('-d, --debug', 'debug logging')
  .action(async (o) => { await (await import('./cli/start.js')).startCommand(o); });

program.command('inventory').description('list everything the person can still reach')
  .addOption(configOption()).addOption(subjectOption()).addOption(identityOption())
  .option('--json', 'print JSON')
  .action(async (o) => { process.exitCode = await (await import('./cli/offboard.js')).inventoryCommand(o); });

program.command('plan').description('show the checklist that `run` would execute')
  .addOption(configOption()).addOption(subjectOption()).addOption(identityOption())
  .option('-o, --option <provider.key=value>', 'plan option (repeatable)', keyValue)
  .option('--disable <step-id>', 'leave a step out (repeatable)', collect)
  .option('--json', 'print JSON')
  .action(async (o) => { process.exitCode = await (await import('./cli/offboard.js')).planCommand(o); });

program.command('run').description('offboard the person now and print the report')
  .addOption(configOption()).addOption(subjectOption()).addOption(identityOption())
  .option('-o, --option <provider.key=value>', 'plan option (repeatable)', keyValue)
  .option('--disable <step-id>', 'leave a step out (repeatable)', collect)
  .option('-y, --yes', 'confirm without asking (required: this removes access)')
  .option('--schedule <iso-time>', 'start at this time (ISO 8601 with offset) instead of now')
  .option('--require-approval', 'wait for a second admin to approve in Mattermost')
  .option('--json', 'print the JSON report')
  .action(async (o) => { process.exitCode = await (await import('./cli/offboard.js')).runCommand(o); });

program.command('status').description('list recent runs, or show one run')
  .addOption(configOption())
  .argument('[run-id]')
  .option('--json', 'print JSON')
  .action(async (runId, o) => { process.exitCode = await (await import('./cli/reports.js')).statusCommand(runId, o); });

program.command('export').description('export a run\'s report for auditors')
  .addOption(configOption())
  .argument('<run-id>')
  .addOption(new Option('-f, --format <format>', 'report format').choices(['json', 'csv', 'md']).default('json'))
  .option('--verify', 'verify the audit hash chain; exit 1 if any event was edited or deleted')
  .option('--out <file>', 'write to a file instead of stdout')
  .action(async (runId, o) => { process.exitCode = await (await import('./cli/reports.js')).exportCommand(runId, o); });

program.command('sandbox').description('start a seeded Mattermost simulator and the service against it (make demo)')
  .option('--once', 'offboard the seeded person through the slash-command RPC path, print the report, exit')
  .option('--json', 'with --once: print the final report as JSON')
  .option('-d, --debug', 'debug logging (to stderr)')
  .action(async (o) => { process.exitCode = await (await import('./cli/sandbox.js')).sandboxCommand(o); });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (isConfigError(e)) {
    process.stderr.write(`offboard: configuration error:\n${e.message}\n`);
    process.exitCode = 2;
  } else if (isRequestError(e) || isOffboardError(e)) {
    process.stderr.write(`offboard: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`offboard: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
