// Venue wall-clock time ↔ instants: one reading of daylight-saving gaps and overlaps
// for catalog-service (which stores event times) and the site (whose editor sends them).
export { isDateTimeInput, isTimeZone, toInstant, toLocal } from './local-time.ts';
