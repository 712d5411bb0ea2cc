import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, WorkerOptions } from 'bullmq';
import { JOBS, JobName, QueueJob, QueueName } from 'src/common/queues';

interface JobHandler {
  queue: QueueName;
  name: string;
  method: string;
}

/** What the worker found: each processor, the queue it consumes and the jobs it handles. */
export interface ProcessorJobs {
  processor: string;
  /** Undefined for a processor not declared with @JobProcessor, whose jobs nobody can check. */
  queue: QueueName | undefined;
  handlers: JobHandler[];
}

const HANDLERS = Symbol('job handlers');
const QUEUE = Symbol('job processor queue');

function handlersOf(type: object): JobHandler[] {
  return (Reflect.getMetadata(HANDLERS, type) as JobHandler[] | undefined) ?? [];
}

/** A BullMQ processor of one queue, which runs each job by the method marked @OnJob for its name. */
export function JobProcessor(queue: QueueName): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(QUEUE, queue, target);
    Processor(queue)(target);
  };
}

/** Marks the method that runs one job; the payload type follows from the queue and the name. */
export function OnJob<Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N) {
  return <H extends (job: QueueJob<Q, N>) => Promise<void>>(
    target: object,
    method: string,
    _descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    const type = target.constructor;
    Reflect.defineMetadata(HANDLERS, [...handlersOf(type), { queue, name, method }], type);
  };
}

/** The base of every @JobProcessor: hands each job to its @OnJob method. */
export abstract class JobProcessorHost extends WorkerHost {
  /** Options of this processor's BullMQ worker beyond those every worker has (its concurrency, say). */
  workerOptions(): Partial<WorkerOptions> {
    return {};
  }

  async process(job: Job): Promise<void> {
    const handler = handlersOf(this.constructor).find((candidate) => candidate.name === job.name);
    if (!handler) throw new Error(`${this.constructor.name} has no handler for job ${job.name}`);
    const run = (this as unknown as Record<string, (job: Job) => Promise<void>>)[handler.method];
    await run.call(this, job);
  }
}

/** The options the processor's BullMQ worker is created with: to be set before the workers are registered. */
export function setWorkerOptions(instance: WorkerHost, options: Partial<WorkerOptions>): void {
  const queue = Reflect.getMetadata(QUEUE, instance.constructor) as QueueName;
  Processor(queue, options)(instance.constructor);
}

/** The processors among these provider instances, with the jobs each declares. */
export function describeProcessors(instances: unknown[]): ProcessorJobs[] {
  return instances
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
    .map((instance) => ({
      processor: instance.constructor.name,
      queue: Reflect.getMetadata(QUEUE, instance.constructor) as QueueName | undefined,
      handlers: handlersOf(instance.constructor),
    }));
}

/**
 * Why the worker must not start: a job the app can enqueue with no handler or two, a handler on a queue its
 * processor does not consume, two processors competing for one queue (BullMQ would hand each job to either),
 * or a processor whose jobs are not declared.
 */
export function jobHandlerProblems(processors: ProcessorJobs[]): string[] {
  const problems: string[] = [];
  const byJob = new Map<string, string[]>();
  const byQueue = new Map<string, string[]>();
  for (const { processor, queue, handlers } of processors) {
    if (!queue) {
      problems.push(`${processor} is not a @JobProcessor, so its jobs are not registered`);
      continue;
    }
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), processor]);
    for (const handler of handlers) {
      if (handler.queue !== queue) {
        problems.push(
          `${processor}.${handler.method} handles ${handler.queue} job ${handler.name}, on the ${queue} queue`,
        );
        continue;
      }
      const key = `${queue} job ${handler.name}`;
      byJob.set(key, [...(byJob.get(key) ?? []), `${processor}.${handler.method}`]);
    }
  }
  for (const [queue, names] of byQueue) {
    if (names.length > 1) problems.push(`Two processors for the ${queue} queue: ${names.join(', ')}`);
  }
  for (const [queue, names] of Object.entries(JOBS)) {
    for (const name of Object.keys(names)) {
      const key = `${queue} job ${name}`;
      const handlers = byJob.get(key) ?? [];
      if (handlers.length === 0) problems.push(`No handler for ${key}`);
      if (handlers.length > 1) problems.push(`Two handlers for ${key}: ${handlers.join(', ')}`);
      byJob.delete(key);
    }
  }
  for (const [key, handlers] of byJob)
    problems.push(`${handlers.join(', ')} handles ${key}, which nothing enqueues`);
  return problems;
}
