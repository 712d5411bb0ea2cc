import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from 'src/common/queues';
import { EventsService } from 'src/events/events.service';

/** Domain events: features publish what happened and register handlers; the worker delivers. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.events })],
  providers: [EventsService],
  exports: [EventsService, BullModule],
})
export class EventsModule {}
