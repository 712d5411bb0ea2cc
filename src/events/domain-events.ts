/**
 * Every domain event by name, with its payload. Each feature adds the events it publishes to this interface from
 * its own folder (`declare module 'src/events/domain-events'`), so a name or payload that is wrong does not compile
 * and this module never imports a feature.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type EventName = Extract<keyof DomainEvents, string>;

/** What a handler is given besides the payload: the event's id, and the transaction its delivery commits in. */
export interface EventContext {
  eventId: string;
  occurredAt: Date;
  manager: import('typeorm').EntityManager;
  /** The last try: a handler can record that it has given up (an e-mail marked failed). */
  finalAttempt: boolean;
}

export type EventHandler<N extends EventName> = (
  payload: DomainEvents[N],
  context: EventContext,
) => Promise<void>;
