import type { z } from 'zod';

export interface MessageContract<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  /** `<context>.<fact-in-past-tense>.v<major>`; also the routing key. */
  type: TType;
  data: TSchema;
  /** A valid example, checked by the contract tests and used by other tests. */
  fixture: z.input<TSchema>;
  /** Personal data the message carries on purpose, and why (empty for none). */
  personalData: string[];
}

export type MessageData<C extends MessageContract> = z.output<C['data']>;

/** Declares one message type and version. Within a version only optional fields are added. */
export function defineMessage<TType extends string, TSchema extends z.ZodType>(
  contract: MessageContract<TType, TSchema>,
): MessageContract<TType, TSchema> {
  return contract;
}
