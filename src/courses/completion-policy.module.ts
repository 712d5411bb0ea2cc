import { Module } from '@nestjs/common';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';

/**
 * The progress contract: the registries that course modules fill with policies and features fill with the
 * facts they supply (cohorts: attendance; courses: completed courses). Imported by whoever registers or reads.
 */
@Module({
  providers: [CompletionPolicyRegistry, ProgressFactRegistry],
  exports: [CompletionPolicyRegistry, ProgressFactRegistry],
})
export class CompletionPolicyModule {}
