import { Module } from '@nestjs/common';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { EventsModule } from 'src/events/events.module';
import { LogbooksController } from 'src/logbooks/logbooks.controller';
import { LogbooksService } from 'src/logbooks/logbooks.service';

/** Reflective practice logbooks: entries, their revisions and reviews, and the identifier screener. */
@Module({
  imports: [CohortsModule, EventsModule],
  controllers: [LogbooksController],
  providers: [LogbooksService],
  exports: [LogbooksService],
})
export class LogbooksModule {}
