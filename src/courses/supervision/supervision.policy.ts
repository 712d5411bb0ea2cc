import { Injectable } from '@nestjs/common';
import { StandardCompletionPolicy } from 'src/courses/standard-completion-policy';

/** Supervision: a valid Foundation certificate first; every session attended, excused absences made up. */
@Injectable()
export class SupervisionPolicy extends StandardCompletionPolicy {
  constructor() {
    super('supervision');
  }
}
