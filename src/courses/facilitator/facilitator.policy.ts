import { Injectable } from '@nestjs/common';
import { StandardCompletionPolicy } from 'src/courses/standard-completion-policy';

/** Facilitator: a completed Foundation course first; every session attended. Completion grants an accreditation. */
@Injectable()
export class FacilitatorPolicy extends StandardCompletionPolicy {
  constructor() {
    super('facilitator');
  }
}
