import { toInstant } from '@twenny/time';
import type { Violation } from '../domain/event-rules.ts';

/** Reads date-time inputs in a zone, collecting what cannot be read as violations. */
export function timeReader(zone: string) {
  const violations: Violation[] = [];
  return {
    violations,
    read(value: string, field: string): Date {
      const instant = toInstant(value, zone);
      if (!instant) {
        violations.push({ name: field, reason: `"${value}" is not a real date and time.` });
        return new Date(0);
      }
      return instant;
    },
    readNullable(value: string | null, field: string): Date | null {
      return value === null ? null : this.read(value, field);
    },
  };
}
