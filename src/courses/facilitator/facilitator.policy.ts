import { Injectable } from '@nestjs/common';
import { StandardCompletionPolicy } from 'src/courses/standard-completion-policy';

/**
 * Facilitator: a valid Foundation certificate first; every session attended. Its certificate accredits the holder
 * to facilitate Foundation cohorts.
 */
@Injectable()
export class FacilitatorPolicy extends StandardCompletionPolicy {
  override readonly accredits = 'foundation' as const;

  constructor() {
    super('facilitator');
  }
}
