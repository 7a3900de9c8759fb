/**
 * The `pageout` command: parses, calls the library, prints. Each subcommand lives in
 * ./commands/<name>.ts and exports `register(program)`; heavy modules load lazily inside actions
 * so `pageout --help` stays instant.
 */
import { Command } from 'commander';

const program = new Command('pageout')
  .description('The Mach pageout daemon, alive in TypeScript: run, compare and watch GNU Mach\'s vm_pageout.c')
  .showHelpAfterError();

const commands = ['run'] as const;
for (const name of commands) {
  const mod = (await import(`./commands/${name}.ts`)) as { register(p: Command): void };
  mod.register(program);
}

await program.parseAsync(process.argv);
