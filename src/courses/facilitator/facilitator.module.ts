import { Module, OnModuleInit } from '@nestjs/common';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import { FacilitatorPolicy } from 'src/courses/facilitator/facilitator.policy';

/** The Facilitator course: registers its completion policy. */
@Module({ imports: [CompletionPolicyModule], providers: [FacilitatorPolicy] })
export class FacilitatorModule implements OnModuleInit {
  constructor(
    private readonly registry: CompletionPolicyRegistry,
    private readonly policy: FacilitatorPolicy,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.policy);
  }
}
