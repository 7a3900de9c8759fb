/**
 * The `pageout` command: parses, calls the library, prints. Each subcommand lives in
 * ./commands/<name>.ts and exports `register(program)`; heavy modules load lazily inside actions
 * so `pageout --help` stays instant. Exit codes (README "Exit codes"): 0 ok, 1 internal error,
 * 2 bad input (including unknown options and bad flag values), 3 a bad outcome under --strict.
 */
import type { Command } from 'commander';
import { createProgram } from './common.js';

const program = createProgram((code) => process.exit(code));

// `pageout run | head`: a reader that stops early is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const commands = ['run', 'trace', 'sweep', 'serve', 'convert', 'inspect', 'compare', 'mrc', 'policies'] as const;
for (const name of commands) {
  const mod = (await import(`./commands/${name}.ts`)) as { register(p: Command): void };
  mod.register(program);
}

await program.parseAsync(process.argv);
