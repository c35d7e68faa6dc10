/**
 * Thrown by a handler when retrying cannot help (the message contradicts the
 * state, a rule forbids it): the message goes straight to the dead-letter queue.
 * Any other error is treated as transient and retried with delay.
 */
export class PermanentMessageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentMessageError';
  }
}
