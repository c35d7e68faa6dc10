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
