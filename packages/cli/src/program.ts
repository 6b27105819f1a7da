// Builds the kumo command tree: global options plus one registered group per file under commands/.
// It performs no I/O itself; main.ts runs it and turns failures into exit codes.
import { Command, CommanderError } from 'commander';
import { CommandContext, type CliIo, type GlobalOptions } from './context.js';
import { describeFailure, ExitCode } from './errors.js';
import { registerAccessKeyCommands } from './commands/access-key.js';
import { registerAccountCommands } from './commands/account.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerUsageCommands } from './commands/usage.js';
import { registerHostCommands } from './commands/host.js';
import { registerStorageCommands } from './commands/storage.js';
import { registerImageCommands } from './commands/image.js';
import { registerInstanceCommands } from './commands/instance.js';
import { registerInstanceTypeCommands } from './commands/instance-type.js';
import { registerKeypairCommands } from './commands/keypair.js';
import { registerQuotaCommands } from './commands/quota.js';
import { registerSubnetCommands } from './commands/subnet.js';
import { registerEniEipCommands } from './commands/eni-eip.js';
import { registerNetworkAdminCommands } from './commands/network-admin.js';
import { registerSecurityGroupCommands } from './commands/security-group.js';
import { registerVpcCommands } from './commands/vpc.js';

/** Gives a command action its context from the invoked (sub)command. */
export type ContextFor = (cmd: Command) => CommandContext;

/** Builds the program; `io` decides where output goes and how the client is made. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('kumo')
    .description('Command line for Kumo, a self-hosted VM cloud with a JD Cloud compatible API')
    .option('-o, --output <format>', 'output format: table or json', 'table')
    .option('--endpoint <url>', 'API endpoint (default: from credentials, else http://127.0.0.1:8080)')
    .option('--region <regionId>', 'region (default: from credentials, else local-1)')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const contextFor: ContextFor = (cmd) => new CommandContext(io, cmd.optsWithGlobals<GlobalOptions>());
  registerKeypairCommands(program, contextFor);
  registerInstanceTypeCommands(program, contextFor);
  registerQuotaCommands(program, contextFor);
  registerInstanceCommands(program, contextFor);
  registerImageCommands(program, contextFor);
  registerSubnetCommands(program, contextFor);
  registerVpcCommands(program, contextFor);
  registerSecurityGroupCommands(program, contextFor);
  registerEniEipCommands(program, contextFor);
  registerNetworkAdminCommands(program, contextFor);
  registerHostCommands(program, contextFor);
  registerStorageCommands(program, contextFor);
  registerAccountCommands(program, contextFor);
  registerAccessKeyCommands(program, contextFor);
  registerAuditCommands(program, contextFor);
  registerUsageCommands(program, contextFor);
  // Exit codes are decided in runCli, so no subcommand may exit the process on its own.
  const exitOverride = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Asked-for help and version succeed; help shown because a subcommand is missing
      // ('commander.help') and every other commander error are usage errors.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
      return ExitCode.usage;
    }
    const { code, message } = describeFailure(err);
    if (message) io.stderr(message + '\n');
    return code;
  }
}
