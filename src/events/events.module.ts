import { BullModule } from '@nestjs/bullmq';
import { Module, OnModuleInit } from '@nestjs/common';
import { QUEUES } from 'src/common/queues';
import { EventsRetention } from 'src/events/events.retention';
import { EventsService } from 'src/events/events.service';
import { RetentionRegistry } from 'src/privacy/retention.registry';

/** Domain events: features publish what happened and register handlers; the worker delivers. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.events })],
  providers: [EventsService, EventsRetention],
  exports: [EventsService, BullModule],
})
export class EventsModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly eventsRetention: EventsRetention,
  ) {}

  onModuleInit(): void {
    this.retention.register(this.eventsRetention);
  }
}
