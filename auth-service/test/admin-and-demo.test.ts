import postgres from 'postgres';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@twenny/logger';
import { demoAccounts, demoPassword, demoTeam, seedDemoAccounts } from '../src/seed/demo-accounts.ts';
import { authClient, uniqueEmail } from './support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from './support/auth-service.ts';

let auth: TestAuthService;
let sql: postgres.Sql;

beforeAll(async () => {
  auth = await startTestAuthService({ SEED_DEMO_ACCOUNTS: 'true' });
  sql = postgres(auth.database.adminUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end();
  await auth?.stop();
});

async function signedInAs(email: string, password = demoPassword) {
  const client = authClient(auth.url);
  const result = await client.api.signIn.email({ email, password });
  expect(result.error).toBeNull();
  return client;
}

describe('demo accounts', () => {
  it('exist after start: a verified platform admin, an organiser owning the demo team, an attendee', async () => {
    const admin = decodeJwt((await (await signedInAs(demoAccounts.admin.email)).api.token()).data!.token);
    const organiser = decodeJwt((await (await signedInAs(demoAccounts.organiser.email)).api.token()).data!.token);
    const attendee = decodeJwt((await (await signedInAs(demoAccounts.attendee.email)).api.token()).data!.token);
    expect(admin).toMatchObject({ role: 'admin', orgs: [] });
    expect(attendee).toMatchObject({ role: 'user', orgs: [] });
    const [team] = await sql`select id from auth.organization where slug = ${demoTeam.slug}`;
    expect(organiser).toMatchObject({ role: 'user', orgs: [{ id: team!.id, role: 'owner' }] });
    const verified = await sql`select email from auth.user where email_verified order by email`;
    expect(verified.map((r) => r.email)).toEqual(expect.arrayContaining(Object.values(demoAccounts).map((a) => a.email)));
    // Nobody reads a .local mailbox: seeding sends no verification mail.
    expect(auth.smtp.mails.filter((m) => Object.values(demoAccounts).some((a) => m.to.includes(a.email)))).toEqual([]);
  });

  it('seeding again changes nothing', async () => {
    const count = async () => (await sql`select (select count(*) from auth.user)::int as users, (select count(*) from auth.organization)::int as teams, (select count(*) from auth.outbox)::int as messages`)[0];
    const before = await count();
    await seedDemoAccounts(auth.service.auth, auth.service.database.db, createLogger({ service: 'test', level: 'silent' }));
    expect(await count()).toEqual(before);
  });
});

describe('platform admins', () => {
  it('list users; everyone else gets 403', async () => {
    const admin = await signedInAs(demoAccounts.admin.email);
    const listed = await admin.api.admin.listUsers({ query: { limit: 100 } });
    expect(listed.error).toBeNull();
    expect(listed.data!.users.map((u) => u.email)).toEqual(expect.arrayContaining([demoAccounts.attendee.email]));

    const attendee = await signedInAs(demoAccounts.attendee.email);
    expect((await attendee.api.admin.listUsers({ query: { limit: 10 } })).error?.status).toBe(403);
  });

  it('ban a user: their sessions end and they cannot sign in again', async () => {
    const email = uniqueEmail('banned');
    const victim = authClient(auth.url);
    const { data } = await victim.api.signUp.email({ name: 'Troll', email, password: 'correct horse battery' });
    const admin = await signedInAs(demoAccounts.admin.email);
    const banned = await admin.api.admin.banUser({ userId: data!.user.id, banReason: 'spam' });
    expect(banned.error).toBeNull();
    expect((await victim.api.getSession()).data).toBeNull();
    const again = await authClient(auth.url).api.signIn.email({ email, password: 'correct horse battery' });
    expect(again.error?.status).toBe(403);
  });
});
