import { Module } from '@nestjs/common';
import { MaterialsController } from 'src/materials/materials.controller';
import { MaterialsPagesController } from 'src/materials/materials.pages.controller';
import { MaterialsService } from 'src/materials/materials.service';
import { UsersModule } from 'src/users/users.module';

/** Licensed manuals and handbooks: the catalogue (editions, entitlement and downloads build on it). */
@Module({
  imports: [UsersModule],
  controllers: [MaterialsController, MaterialsPagesController],
  providers: [MaterialsService],
  exports: [MaterialsService],
})
export class MaterialsModule {}
