import { BullRegistrar } from '@nestjs/bullmq';
import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { describeProcessors, jobHandlerProblems } from 'src/common/job-handlers';

/** Starts the BullMQ workers only once every job the app can enqueue has exactly one handler. */
@Injectable()
export class JobHandlersCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registrar: BullRegistrar,
  ) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
    const problems = jobHandlerProblems(describeProcessors(instances));
    if (problems.length > 0) throw new Error(`The worker cannot start: ${problems.join('; ')}`);
    this.registrar.register();
  }
}

/** Imported by the features' worker modules: the worker process checks its processors and starts them. */
@Module({ imports: [DiscoveryModule], providers: [JobHandlersCheck] })
export class JobHandlersModule {}
