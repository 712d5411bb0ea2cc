import { Module } from '@nestjs/common';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { MaterialsController } from 'src/materials/materials.controller';
import { MaterialsService } from 'src/materials/materials.service';
import { PrintOrdersController } from 'src/materials/print-orders.controller';
import { PrintOrdersPagesController } from 'src/materials/print-orders.pages.controller';
import { PrintOrdersService } from 'src/materials/print-orders.service';

/** Licensed manuals and handbooks: the catalogue (editions, entitlement and downloads build on it). */
@Module({
  imports: [CohortsModule],
  controllers: [MaterialsController, PrintOrdersController, PrintOrdersPagesController],
  providers: [MaterialsService, PrintOrdersService],
  exports: [MaterialsService, PrintOrdersService],
})
export class MaterialsModule {}
