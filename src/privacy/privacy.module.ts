import { Global, Module } from '@nestjs/common';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { PrivacyController } from 'src/privacy/privacy.controller';
import { PrivacyPagesController } from 'src/privacy/privacy.pages.controller';
import { SubjectAccessService } from 'src/privacy/subject-access.service';
import { UsersModule } from 'src/users/users.module';

/**
 * Data protection: subject access. Global so that every feature holding personal data can register its source
 * (src/<feature>/<feature>.personal-data.ts) without this module knowing the features, nor they importing it.
 */
@Global()
@Module({
  imports: [UsersModule],
  controllers: [PrivacyController, PrivacyPagesController],
  providers: [PersonalDataRegistry, SubjectAccessService],
  exports: [PersonalDataRegistry],
})
export class PrivacyModule {}
