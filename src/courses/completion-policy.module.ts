import { Module } from '@nestjs/common';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';

/** Holds the registry that the course modules fill and the courses service reads. */
@Module({ providers: [CompletionPolicyRegistry], exports: [CompletionPolicyRegistry] })
export class CompletionPolicyModule {}
