import { Module, OnModuleInit } from '@nestjs/common';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import { FoundationPolicy } from 'src/courses/foundation/foundation.policy';

/** The Foundation course: registers its completion policy. */
@Module({ imports: [CompletionPolicyModule], providers: [FoundationPolicy] })
export class FoundationModule implements OnModuleInit {
  constructor(
    private readonly registry: CompletionPolicyRegistry,
    private readonly policy: FoundationPolicy,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.policy);
  }
}
