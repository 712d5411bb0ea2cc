import { Module, OnModuleInit } from '@nestjs/common';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import { SupervisionPolicy } from 'src/courses/supervision/supervision.policy';

/** The Supervision course: registers its completion policy. */
@Module({ imports: [CompletionPolicyModule], providers: [SupervisionPolicy] })
export class SupervisionModule implements OnModuleInit {
  constructor(
    private readonly registry: CompletionPolicyRegistry,
    private readonly policy: SupervisionPolicy,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.policy);
  }
}
