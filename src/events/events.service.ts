import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  In,
  IsNull,
  LessThan,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { JOBS, JobQueue, QUEUES } from 'src/common/queues';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { DomainEventRecord } from 'src/events/domain-event.entity';
import { DomainEvents, EventContext, EventHandler, EventName } from 'src/events/domain-events';
import { EventDelivery } from 'src/events/event-delivery.entity';
import { QUEUE_DISPATCH_TIMEOUT_MS, withTimeout } from 'src/common/with-timeout';

/** Tries per event before it is marked failed, the backoff doubling each time (MAIL_RETRY_DELAY_MS first). */
export const EVENT_ATTEMPTS = 6;

interface RegisteredHandler {
  name: string;
  run: EventHandler<EventName>;
}

/**
 * The one way features tell each other what happened. `publish` writes the event in the caller's transaction;
 * once that commits, a job delivers it to each handler in the worker, at least once, each handler's run
 * recorded in its own transaction so it is never repeated. The sweeper re-dispatches what never reached Redis.
 */
@Injectable()
export class EventsService implements OnApplicationBootstrap, EntitySubscriberInterface {
  private readonly logger = new Logger(EventsService.name);
  private readonly publishers = new Map<EventName, string>();
  private readonly handlers = new Map<EventName, RegisteredHandler[]>();
  private readonly pending = new WeakMap<QueryRunner, string[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.events) private readonly queue: JobQueue<'events'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Told of every commit and rollback, so that events go out only once the change they report is there.
    dataSource.subscribers.push(this);
  }

  /** A feature declares at start the events it publishes; publishing one it did not declare is a fault. */
  declare(publisher: string, names: readonly EventName[]): void {
    for (const name of names) {
      const other = this.publishers.get(name);
      if (other && other !== publisher)
        throw new Error(`Event ${name} is declared by both ${other} and ${publisher}`);
      this.publishers.set(name, publisher);
    }
  }

  /** Registers a handler; `handler` names it (feature.purpose) and must stay stable, as deliveries record it. */
  on<N extends EventName>(name: N, handler: string, run: EventHandler<N>): void {
    const list = this.handlers.get(name) ?? [];
    if (list.some((registered) => registered.name === handler))
      throw new Error(`Handler ${handler} is registered twice for ${name}`);
    list.push({ name: handler, run: run as EventHandler<EventName> });
    this.handlers.set(name, list);
  }

  /** The application refuses to start when an event would go nowhere, or a handler waits for one never sent. */
  onApplicationBootstrap(): void {
    const problems = eventWiringProblems([...this.publishers.keys()], [...this.handlers.keys()]);
    if (problems.length > 0) throw new Error(`Domain events are not wired: ${problems.join('; ')}`);
  }

  async publish<N extends EventName>(
    manager: EntityManager,
    name: N,
    payload: DomainEvents[N],
  ): Promise<void> {
    if (!this.publishers.has(name)) throw new Error(`Event ${name} was published without being declared`);
    const { identifiers } = await manager.insert(DomainEventRecord, { name, payload: payload as never });
    const id = String(identifiers[0].id);
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) this.pending.set(runner, [...(this.pending.get(runner) ?? []), id]);
    else await this.dispatch([id]);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    // A savepoint released inside a transaction commits nothing yet: the outer commit sends its events.
    if (event.queryRunner.isTransactionActive) return;
    const ids = this.pending.get(event.queryRunner);
    if (!ids) return;
    this.pending.delete(event.queryRunner);
    await this.dispatch(ids);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  /** Queues delivery; a failure here loses nothing, as the sweeper finds the event undelivered. */
  async dispatch(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    try {
      // The job is added when Redis is back, or the sweeper adds it: either way once, as the job id is the event's.
      await withTimeout(
        Promise.all(
          eventIds.map((eventId) =>
            this.queue.add(
              JOBS.events.deliver,
              { eventId },
              {
                jobId: `event-${eventId}`,
                attempts: EVENT_ATTEMPTS,
                backoff: { type: 'exponential', delay: this.config.MAIL_RETRY_DELAY_MS },
              },
            ),
          ),
        ),
        QUEUE_DISPATCH_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn(`Events ${eventIds.join(', ')} wait for the sweeper: ${(error as Error).message}`);
    }
  }

  /**
   * Runs every handler of the event that has not run yet. Each runs in its own transaction with its delivery
   * record, so a handler that succeeded is not run again when another fails and the event is retried.
   */
  async deliver(eventId: string, finalAttempt: boolean): Promise<void> {
    const events = this.dataSource.getRepository(DomainEventRecord);
    const event = await events.findOneBy({ id: eventId });
    if (!event || event.completedAt) return;
    const name = event.name as EventName;
    const delivered = new Set(
      (await this.dataSource.getRepository(EventDelivery).findBy({ eventId })).map((row) => row.handler),
    );
    const failures: string[] = [];
    for (const handler of this.handlers.get(name) ?? []) {
      if (delivered.has(handler.name)) continue;
      try {
        await this.dataSource.transaction(async (manager) => {
          // Recorded first: a second worker running the same handler at once waits here, then fails.
          await manager.insert(EventDelivery, { eventId, handler: handler.name });
          const context: EventContext = { eventId, occurredAt: event.occurredAt, manager, finalAttempt };
          await handler.run(event.payload as never, context);
        });
      } catch (error) {
        failures.push(`${handler.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) {
      const lastError = failures.join('; ').slice(0, 2000);
      await events.update({ id: eventId }, { lastError, ...(finalAttempt ? { failedAt: new Date() } : {}) });
      if (finalAttempt) this.logger.error(`Event ${name} ${eventId} failed for good: ${lastError}`);
      throw new Error(lastError);
    }
    await events.update({ id: eventId }, { completedAt: new Date(), lastError: null });
  }

  /** Re-dispatches events that were written but never delivered (Redis down at commit, or the job lost). */
  async sweep(olderThanMs = this.config.SWEEP_INTERVAL_MS): Promise<number> {
    const stale = await this.dataSource.getRepository(DomainEventRecord).find({
      where: {
        completedAt: IsNull(),
        failedAt: IsNull(),
        occurredAt: LessThan(new Date(Date.now() - olderThanMs)),
      },
      select: { id: true },
      order: { occurredAt: 'ASC' },
      take: 500,
    });
    await this.dispatch(stale.map((event) => event.id));
    return stale.length;
  }

  /** Gives failed events another round of tries (an administrator retrying a failed e-mail, say). */
  async retry(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.dataSource
      .getRepository(DomainEventRecord)
      .update({ id: In(eventIds) }, { failedAt: null, lastError: null });
    await this.dispatch(eventIds);
  }
}

/** What stops the application: an event published with no handler, or handled but never published. */
export function eventWiringProblems(published: string[], handled: string[]): string[] {
  return [
    ...published.filter((name) => !handled.includes(name)).map((name) => `${name} has no handler`),
    ...handled
      .filter((name) => !published.includes(name))
      .map((name) => `${name} is handled but never published`),
  ];
}
