/**
 * Prints a password hash for `agents[].password_hash` in `knowledge/skill-groups.yaml`.
 *
 * Usage: npm run agent:hash-password            (asks for the password, nothing echoed)
 *        echo -n 'pass' | npm run agent:hash-password
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { hashPassword } from '../src/handoff/password.js';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('Password: ');
  // A terminal readline whose output swallows the echo keeps the typed password off the screen.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: process.stdin, output: muted, terminal: true });
  const line = await new Promise<string>((resolve) => lines.question('', resolve));
  lines.close();
  process.stderr.write('\n');
  return line;
}

const password = await readPassword();
if (password.length < 8) {
  process.stderr.write('The password must be at least 8 characters.\n');
  process.exit(2);
}
process.stdout.write(`${await hashPassword(password)}\n`);
