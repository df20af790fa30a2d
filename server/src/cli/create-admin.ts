import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { passwordProblem } from '../auth/passwords.js';
import { insertAccount } from '../auth/provision.js';
import { loadConfig } from '../config/config.js';
import { migrate } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';

const USAGE = `npm run create-admin -- --username <name> [--name "<full name>"]
  The password is read from IOC_ADMIN_PASSWORD, or asked for (hidden) on a terminal.
  Uses DATABASE_URL, or the embedded database of npm start (running or not).`;

/** Asks for a password without echoing it. */
async function ask(question: string): Promise<string> {
  let muted = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/**
 * `npm run create-admin`: creates an administrator account, the first one
 * included (administrators then create the other accounts through the API).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.username) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 64);
  }
  const username = values.username;
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/i.test(username)) throw new Error('the username must be 3–64 letters (no diacritics), digits, dots, dashes or underscores');
  let password = process.env.IOC_ADMIN_PASSWORD ?? '';
  if (!password) {
    if (!process.stdin.isTTY) throw new Error('set IOC_ADMIN_PASSWORD, or run this on a terminal to type the password');
    password = await ask(`Password for ${username}: `);
    if ((await ask('Again: ')) !== password) throw new Error('the two passwords differ');
  }
  const problem = passwordProblem(password, username);
  if (problem) throw new Error(problem);

  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.embeddedPgDir, (m) => console.log(`[db] ${m}`));
  const url = config.databaseUrl ?? embedded!.url;
  try {
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const created = await insertAccount(client, { username, password, role: 'admin', scope: 'nation', displayName: values.name ?? 'Quản trị hệ thống' }, 'create-admin');
      if (!created) throw new Error(`the username ${username} is taken; an administrator can reset its password through the API`);
      console.log(`administrator ${username} created; sign in at /api/v1/auth/sign-in or on the dashboard`);
    } finally {
      await client.end();
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`create-admin: ${(e as Error).message}`);
  process.exit(1);
});
