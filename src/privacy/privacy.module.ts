import { Global, Module, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { ErasurePagesController } from 'src/privacy/erasure.pages.controller';
import { ErasureService } from 'src/privacy/erasure.service';
import { PrivacyController } from 'src/privacy/privacy.controller';
import { PrivacyPagesController } from 'src/privacy/privacy.pages.controller';
import { PrivacyRetention } from 'src/privacy/privacy.retention';
import { RetentionController } from 'src/privacy/retention.controller';
import { RetentionPagesController } from 'src/privacy/retention.pages.controller';
import { RetentionRegistry } from 'src/privacy/retention.registry';
import { RetentionService } from 'src/privacy/retention.service';
import { SubjectAccessService } from 'src/privacy/subject-access.service';
import { EventsModule } from 'src/events/events.module';
import { UsersModule } from 'src/users/users.module';

/**
 * Data protection: subject access, retention and erasure. Global so that every feature holding personal data can
 * register its source (src/<feature>/<feature>.personal-data.ts) and its retention rules (<feature>.retention.ts)
 * without this module knowing the features, nor they importing it.
 */
@Global()
@Module({
  imports: [UsersModule, EventsModule],
  controllers: [
    PrivacyController,
    PrivacyPagesController,
    ErasurePagesController,
    RetentionController,
    RetentionPagesController,
  ],
  providers: [
    PersonalDataRegistry,
    SubjectAccessService,
    ErasureService,
    RetentionRegistry,
    RetentionService,
    PrivacyRetention,
  ],
  exports: [PersonalDataRegistry, RetentionRegistry, RetentionService],
})
export class PrivacyModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly privacyRetention: PrivacyRetention,
  ) {}

  onModuleInit(): void {
    this.retention.register(this.privacyRetention);
  }
}
