export { connectDatabase, type Database } from './connect-database.ts';
export { runMigrations } from './run-migrations.ts';
export { serviceDatabases, type ServiceDatabase } from './service-databases.ts';
export { provisionDatabase, ensureDatabaseExists, quoteIdent } from './provision.ts';
export { postgresError, type PostgresError } from './postgres-error.ts';
export {
  bulkCopyInto,
  bulkLoad,
  chunkedSync,
  copyInto,
  copyNull,
  copyOut,
  copyText,
  copyUnescape,
  count,
  createProgress,
  formatLoads,
  iso,
  type Progress,
  type ReservedSql,
  type Sql,
  type Table,
  type TableLoad,
} from './bulk-load.ts';
