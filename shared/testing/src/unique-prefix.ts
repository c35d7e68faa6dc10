import { randomBytes } from 'node:crypto';

/** A short name no other test run, file or running platform uses: `t<pid>x<random>`. */
export function uniquePrefix(): string {
  return `t${process.pid}x${randomBytes(4).toString('hex')}`;
}
