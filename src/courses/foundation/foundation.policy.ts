import { Injectable } from '@nestjs/common';
import { StandardCompletionPolicy } from 'src/courses/standard-completion-policy';

/** Foundation: no prerequisite; attendance of at least 90% of sessions, present or late (from the course version). */
@Injectable()
export class FoundationPolicy extends StandardCompletionPolicy {
  constructor() {
    super('foundation');
  }
}
