/**
 * npm run dlq -- list <consumer> [--limit N]
 * npm run dlq -- replay <consumer> [--id <message id>]... [--limit N]
 *
 * Lists a consumer's dead letters with their error, or sends them back to its
 * queue. Reads AMQP_URL and AMQP_PREFIX like the services do.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { env, loadConfigOrExit } from '@twenny/config';
import { subscriptions } from '@twenny/contracts';
import { createLogger } from '@twenny/logger';
import { connectAmqp } from './amqp-connection.ts';
import { listDeadLetters, replayDeadLetters } from './dead-letters.ts';

const usage = `usage: npm run dlq -- list <consumer> [--limit N]
       npm run dlq -- replay <consumer> [--id <message id>]... [--limit N]
consumers: ${Object.keys(subscriptions).join(', ')}`;

const config = loadConfigOrExit('dlq', z.object({ AMQP_URL: env.url(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672'), AMQP_PREFIX: env.prefix('') }));

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { id: { type: 'string', multiple: true }, limit: { type: 'string' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [command, consumer] = parsed.positionals;
const limit = parsed.values.limit === undefined ? undefined : Number(parsed.values.limit);
if (!command || !['list', 'replay'].includes(command) || !consumer || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) {
  console.error(usage);
  process.exit(2);
}
if (!(consumer in subscriptions)) {
  console.error(`unknown consumer "${consumer}"\n${usage}`);
  process.exit(2);
}

const logger = createLogger({ service: 'dlq', level: 'fatal' });
const amqp = await connectAmqp({ url: config.AMQP_URL, name: 'dlq-cli', logger, initialRetries: 2 }).catch((error: Error) => {
  console.error(`cannot reach RabbitMQ (AMQP_URL): ${error.message}`);
  process.exit(1);
});
try {
  if (command === 'list') {
    const letters = await listDeadLetters(amqp, { prefix: config.AMQP_PREFIX, consumer, limit });
    if (letters.length === 0) console.log(`${consumer}: no dead letters`);
    for (const letter of letters) {
      console.log(`${letter.messageId}  ${letter.type}  attempts=${letter.attempts}  failed=${letter.failedAt}\n  error: ${letter.error}\n  body:  ${letter.body}`);
    }
  } else {
    const replayed = await replayDeadLetters(amqp, { prefix: config.AMQP_PREFIX, consumer, messageIds: parsed.values.id, limit });
    console.log(`${consumer}: replayed ${replayed.length} message(s)${replayed.length ? `: ${replayed.map((l) => l.messageId).join(', ')}` : ''}`);
  }
} catch (error) {
  const code = (error as { code?: number }).code;
  console.error(
    code === 404
      ? `no dead-letter queue for ${consumer}${config.AMQP_PREFIX ? ` with prefix "${config.AMQP_PREFIX}"` : ''}: has the service started against this broker?`
      : `dlq ${command} failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  await amqp.close();
}
