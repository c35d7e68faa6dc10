import { eq } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Logger } from '@twenny/logger';
import type { Auth } from '../auth/create-auth.ts';
import * as schema from '../db/schema.ts';

/** The development password of every demo account (README). Never seeded in production. */
export const demoPassword = 'twenny-demo-password';

export const demoAccounts = {
  admin: { name: 'Ada Admin', email: 'admin@twenny.local', role: 'admin' },
  organiser: { name: 'Olu Organiser', email: 'organiser@twenny.local', role: 'user' },
  attendee: { name: 'Ana Attendee', email: 'attendee@twenny.local', role: 'user' },
} as const;

export const demoTeam = { name: 'Demo Events', slug: 'demo-events' } as const;

/**
 * Creates the demo accounts and the organiser's team if they are missing, through
 * Better-Auth's own API (so passwords are hashed and messages written as for
 * anyone), verified and without a verification mail. Safe to run at every start.
 */
export async function seedDemoAccounts(auth: Auth, db: PostgresJsDatabase<typeof schema>, logger: Logger): Promise<void> {
  const ids: Record<string, string> = {};
  for (const [key, account] of Object.entries(demoAccounts)) {
    const [existing] = await db.select({ id: schema.user.id }).from(schema.user).where(eq(schema.user.email, account.email));
    let id = existing?.id;
    if (!id) {
      // The admin plugin's server-side create: no sign-up mail for an address nobody reads.
      const created = await auth.api.createUser({ body: { name: account.name, email: account.email, password: demoPassword, role: account.role, data: { emailVerified: true } } });
      id = created.user.id;
    }
    await db.update(schema.user).set({ emailVerified: true, role: account.role }).where(eq(schema.user.id, id));
    ids[key] = id;
  }
  const [team] = await db.select({ id: schema.organization.id }).from(schema.organization).where(eq(schema.organization.slug, demoTeam.slug));
  if (!team) await auth.api.createOrganization({ body: { name: demoTeam.name, slug: demoTeam.slug, userId: ids.organiser } });
  logger.info({ accounts: Object.values(demoAccounts).map((a) => a.email), team: demoTeam.slug }, 'demo accounts ready');
}
