import amqp from 'amqplib';

export interface ReceivedEnvelope {
  id: string;
  type: string;
  subject: string;
  version: number;
  data: Record<string, unknown>;
}

async function exchangeOf(prefix: string): Promise<string> {
  // Loaded lazily, as in broker-cleanup: messaging's own tests import this package.
  const { topologyNames } = await import('@twenny/messaging');
  return topologyNames(prefix).exchange;
}

/** A queue of the test's own on the bus, bound to `pattern`: what a subscriber would receive. */
export async function listenOnBus(amqpUrl: string, prefix: string, pattern: string) {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, await exchangeOf(prefix), pattern);
  const received: ReceivedEnvelope[] = [];
  await channel.consume(queue, (message) => {
    if (message) received.push(JSON.parse(message.content.toString('utf8')));
  }, { noAck: true });
  return { received, close: () => connection.close() };
}

/** Publishes an envelope on the bus as another service's relay would. */
export async function publishOnBus(amqpUrl: string, prefix: string, envelope: { id: string; type: string; [key: string]: unknown }) {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  channel.publish(await exchangeOf(prefix), envelope.type, Buffer.from(JSON.stringify(envelope)), { messageId: envelope.id, type: envelope.type, contentType: 'application/json', persistent: true });
  await channel.waitForConfirms();
  await connection.close();
}
