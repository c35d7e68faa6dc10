import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
  schemaFilter: ['media'],
  migrations: { schema: 'media', table: '__drizzle_migrations' },
});
