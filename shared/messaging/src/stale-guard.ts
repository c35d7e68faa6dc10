import { sql } from 'drizzle-orm';
import type { Envelope } from '@twenny/contracts';
import type { DbExecutor } from './db-types.ts';
import type { SubjectVersionsTable } from './tables.ts';

/**
 * The one line a projection needs against reordered or repeated messages:
 *
 *   if (!(await isNewerVersion(tx, subjectVersions, 'availability', message))) return;
 *
 * Records `message.version` for its subject and says whether it is newer than
 * anything seen before, in the handler's transaction (so a rollback forgets it).
 */
export async function isNewerVersion(
  tx: DbExecutor,
  table: SubjectVersionsTable,
  projection: string,
  message: Pick<Envelope, 'subject' | 'version'>,
): Promise<boolean> {
  const rows = await tx
    .insert(table)
    .values({ projection, subject: message.subject, version: message.version })
    .onConflictDoUpdate({
      target: [table.projection, table.subject],
      set: { version: message.version, updatedAt: sql`now()` },
      setWhere: sql`${table.version} < ${message.version}`,
    })
    .returning({ version: table.version });
  return rows.length > 0;
}
