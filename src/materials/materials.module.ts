import { Module } from '@nestjs/common';
import { MaterialsController } from 'src/materials/materials.controller';
import { MaterialsService } from 'src/materials/materials.service';

/** Licensed manuals and handbooks: the catalogue (editions, entitlement and downloads build on it). */
@Module({
  controllers: [MaterialsController],
  providers: [MaterialsService],
  exports: [MaterialsService],
})
export class MaterialsModule {}
