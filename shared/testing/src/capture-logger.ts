import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@twenny/logger';

export interface CapturedLogs {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
}

/** A logger made exactly as the services make theirs, whose lines a test can read. */
export function captureLogger(service = 'test', level = 'debug'): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ service, level, destination }), lines };
}
