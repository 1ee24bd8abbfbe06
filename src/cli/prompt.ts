/**
 * Questions on the terminal, through @inquirer/confirm and @inquirer/expand (loaded only when a
 * question is asked). Prompts draw on stderr so stdout stays the command's
 * result. Ctrl+C at any prompt becomes {@link PromptInterrupted} (exit 130,
 * no stack), which each command turns into its own orderly stop.
 */
import { ExitCode, HermesCodexError } from '../core/errors.js';

/** Ctrl+C (or a closed terminal) at a prompt. */
export class PromptInterrupted extends HermesCodexError {
  constructor() {
    super('interrupted at the prompt; nothing more was done', { exitCode: ExitCode.interrupted });
  }
}

function interrupted(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/**
 * A yes/no question.
 * @throws PromptInterrupted on Ctrl+C
 */
export async function confirmPrompt(message: string, defaultAnswer = false): Promise<boolean> {
  const { default: confirm } = await import('@inquirer/confirm');
  try {
    return await confirm({ message, default: defaultAnswer }, { output: process.stderr });
  } catch (err) {
    if (interrupted(err)) throw new PromptInterrupted();
    throw err;
  }
}

/**
 * One of a few answers, each with a key (`y`, `s`, `n`); `defaultKey` on Enter.
 * @throws PromptInterrupted on Ctrl+C
 */
export async function choicePrompt<T extends string>(message: string, choices: readonly { key: string; name: string; value: T }[], defaultKey: string): Promise<T> {
  const { default: expand } = await import('@inquirer/expand');
  try {
    return await expand({ message, choices: choices.map((c) => ({ key: c.key as 'y', name: c.name, value: c.value })), default: defaultKey as 'y' }, { output: process.stderr });
  } catch (err) {
    if (interrupted(err)) throw new PromptInterrupted();
    throw err;
  }
}
