/**
 * The `pageout` command: parses, calls the library, prints. Each subcommand lives in
 * ./commands/<name>.ts and exports `register(program)`; heavy modules load lazily inside actions
 * so `pageout --help` stays instant. Exit codes (README "Exit codes"): 0 ok, 1 internal error,
 * 2 bad input (including unknown options and bad flag values), 3 a bad outcome under --strict.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode } from './common.js';

const program = new Command('pageout')
  .description('The Mach pageout daemon, alive in TypeScript: run, compare and watch GNU Mach\'s vm_pageout.c')
  .showHelpAfterError('(add --help for usage and examples)')
  // Commander's own usage errors (unknown option, missing argument, invalid value) are bad input: exit 2.
  // Subcommands inherit this because it is set before they are added.
  .exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput);
  })
  .addHelpText('after', `
Units: memory as 64MiB / 512KiB / 1GiB or a page count (16384); durations as 5ms, 200us, 1.5s;
shares of the distinct pages as 25%.

Exit codes: 0 ok; 1 internal error (a bug); 2 bad input (flags, scenario, trace, sweep file);
3 with --strict, a run ended in panic, livelock or deadlock.`);

const commands = ['run', 'sweep', 'serve'] as const;
for (const name of commands) {
  const mod = (await import(`./commands/${name}.ts`)) as { register(p: Command): void };
  mod.register(program);
}

await program.parseAsync(process.argv);
