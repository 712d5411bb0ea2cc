import { Module } from '@nestjs/common';
import { LogbooksController } from 'src/logbooks/logbooks.controller';

/** Reflective practice logbooks; for now, the identifier screener that guards what trainees submit. */
@Module({ controllers: [LogbooksController] })
export class LogbooksModule {}
