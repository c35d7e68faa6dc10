import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
  schemaFilter: ['catalog'],
  migrations: { schema: 'catalog', table: '__drizzle_migrations' },
});
