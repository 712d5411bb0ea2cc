import { BullRegistrar, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import {
  describeProcessors,
  JobProcessorHost,
  jobHandlerProblems,
  setWorkerOptions,
} from 'src/common/job-handlers';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

/** Starts the BullMQ workers only once every job the app can enqueue has exactly one handler. */
@Injectable()
export class JobHandlersCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registrar: BullRegistrar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
    const problems = jobHandlerProblems(describeProcessors(instances));
    if (problems.length > 0) throw new Error(`The worker cannot start: ${problems.join('; ')}`);
    // A worker that dies holds its jobs until their locks run out, and the others look for such jobs once a lock's
    // length: both come from the configuration, which @Processor, applied when the class is loaded, cannot read.
    const options = { lockDuration: this.config.JOB_LOCK_MS, stalledInterval: this.config.JOB_LOCK_MS };
    for (const instance of instances)
      if (instance instanceof WorkerHost)
        setWorkerOptions(instance, {
          ...options,
          ...(instance instanceof JobProcessorHost ? instance.workerOptions() : {}),
        });
    this.registrar.register();
  }
}

/** Imported by the features' worker modules: the worker process checks its processors and starts them. */
@Module({ imports: [DiscoveryModule], providers: [JobHandlersCheck] })
export class JobHandlersModule {}
