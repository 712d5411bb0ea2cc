import { Global, Module } from '@nestjs/common';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { ErasurePagesController } from 'src/privacy/erasure.pages.controller';
import { ErasureService } from 'src/privacy/erasure.service';
import { PrivacyController } from 'src/privacy/privacy.controller';
import { PrivacyPagesController } from 'src/privacy/privacy.pages.controller';
import { SubjectAccessService } from 'src/privacy/subject-access.service';
import { EventsModule } from 'src/events/events.module';
import { UsersModule } from 'src/users/users.module';

/**
 * Data protection: subject access and erasure. Global so that every feature holding personal data can register its source
 * (src/<feature>/<feature>.personal-data.ts) without this module knowing the features, nor they importing it.
 */
@Global()
@Module({
  imports: [UsersModule, EventsModule],
  controllers: [PrivacyController, PrivacyPagesController, ErasurePagesController],
  providers: [PersonalDataRegistry, SubjectAccessService, ErasureService],
  exports: [PersonalDataRegistry],
})
export class PrivacyModule {}
