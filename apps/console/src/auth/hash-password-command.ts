import bcrypt from 'bcryptjs';
import { CommandError } from '@optimove/app-runtime';

/** Reads one password from `input` (a pipe or the terminal), writes its bcrypt hash (cost 12). */
export async function runHashPasswordCommand(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  let text = '';
  for await (const chunk of input) text += chunk.toString();
  const password = text.replace(/\r?\n$/, '');
  if (password.length < 12) throw new CommandError('hash-password: give a password of at least 12 characters on standard input');
  output.write(`${await bcrypt.hash(password, 12)}\n`);
}
