/**
 * Drives the `pageout` program in this process: the same root command (createProgram) and the same
 * subcommand modules main.ts registers, with stdout/stderr captured and process.exit replaced.
 * Much cheaper than spawning node per case; test/cli/exit-codes.test.ts spawns the real binary too.
 */
import { readdirSync } from 'node:fs';
import { Command } from 'commander';
import { createProgram } from '../../src/cli/common.js';

export const COMMANDS_DIR = new URL('../../src/cli/commands/', import.meta.url);

/** Every subcommand module in src/cli/commands. */
export function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
}

class ExitSignal extends Error {
  constructor(readonly code: number) { super(`exit ${code}`); }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: readonly string[]): Promise<CliRun> {
  const program = createProgram((code) => { throw new ExitSignal(code); });
  for (const name of commandNames()) {
    const mod = (await import(new URL(`${name}.ts`, COMMANDS_DIR).href)) as { register(p: Command): void };
    mod.register(program);
  }
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = process.exitCode;
  process.exitCode = 0;
  // node:test's child process reports to its parent through this same stdout, in binary (v8-
  // serialised) chunks that may be written while a command runs: pass those through untouched
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (out as (...a: unknown[]) => boolean)(chunk, ...rest);
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  let code: number;
  try {
    await program.parseAsync([...args], { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    code = e.code;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
  return { code, stdout, stderr };
}
