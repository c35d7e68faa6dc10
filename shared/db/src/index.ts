export { connectDatabase, type Database } from './connect-database.ts';
export { runMigrations } from './run-migrations.ts';
export { serviceDatabases, type ServiceDatabase } from './service-databases.ts';
export { provisionDatabase, ensureDatabaseExists, quoteIdent } from './provision.ts';
export { postgresError, type PostgresError } from './postgres-error.ts';
