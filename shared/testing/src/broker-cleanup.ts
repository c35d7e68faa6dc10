import amqp from 'amqplib';

/** Deletes the exchange and queues a test declared under its prefix. */
export async function deleteBrokerObjects(amqpUrl: string, names: { exchanges: string[]; queues: string[] }): Promise<void> {
  const connection = await amqp.connect(amqpUrl);
  try {
    for (const queue of names.queues) {
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of names.exchanges) {
      const channel = await connection.createChannel();
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}

/**
 * Deletes everything a test stack declared under `prefix`: the exchange and, for
 * every consumer of the subscription table, its queue, dead-letter queue and
 * retry queues.
 */
export async function deleteTestTopology(amqpUrl: string, prefix: string): Promise<void> {
  const { defaultRetryDelaysMs, topologyNames } = await import('@twenny/messaging');
  const { subscriptions } = await import('@twenny/contracts');
  const names = topologyNames(prefix);
  await deleteBrokerObjects(amqpUrl, {
    exchanges: [names.exchange],
    queues: Object.keys(subscriptions).flatMap((c) => [names.queue(c), names.deadLetterQueue(c), ...defaultRetryDelaysMs.map((ms) => names.retryQueue(c, ms))]),
  });
}

/** Deletes the Redis keys a test wrote under `prefix`. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
