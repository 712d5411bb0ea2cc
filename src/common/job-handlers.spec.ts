import { BullRegistrar, Processor, WorkerHost } from '@nestjs/bullmq';
import { Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Job } from 'bullmq';
import {
  describeProcessors,
  JobProcessor,
  JobProcessorHost,
  jobHandlerProblems,
  OnJob,
} from 'src/common/job-handlers';
import { JobHandlersCheck } from 'src/common/job-handlers.module';
import { JOBS, QUEUES, QueueJob, QueueName } from 'src/common/queues';
import { APP_CONFIG, loadConfig } from 'src/config/app-config';

@JobProcessor(QUEUES.events)
class Events extends JobProcessorHost {
  readonly ran: string[] = [];

  @OnJob(QUEUES.events, JOBS.events.deliver)
  async deliver(job: QueueJob<'events', 'deliver'>): Promise<void> {
    this.ran.push(`deliver ${job.data.eventId}`);
  }

  @OnJob(QUEUES.events, JOBS.events.sweep)
  async sweep(): Promise<void> {
    this.ran.push('sweep');
  }
}

/** A processor of `queue` named `name`, whose methods handle the jobs given as `method: [queue, job]`. */
function processor(name: string, queue: QueueName, handlers: Record<string, [QueueName, string]>) {
  const type = { [name]: class extends JobProcessorHost {} }[name];
  for (const [method, [jobQueue, job]] of Object.entries(handlers)) {
    Object.defineProperty(type.prototype, method, { value: async () => {} });
    OnJob(jobQueue, job as never)(type.prototype, method, {});
  }
  JobProcessor(queue)(type);
  return type;
}

const Reminders = processor('Reminders', QUEUES.reminders, {
  send: ['reminders', 'send'],
  sweep: ['reminders', 'sweep'],
});
const Certificates = processor('Certificates', QUEUES.certificates, {
  render: ['certificates', 'render'],
  sweep: ['certificates', 'sweep'],
});
const Accreditations = processor('Accreditations', QUEUES.accreditations, {
  remind: ['accreditations', 'remind'],
});
const Reports = processor('Reports', QUEUES.reports, {
  refresh: ['reports', 'refresh'],
});
const Retention = processor('Retention', QUEUES.retention, {
  run: ['retention', 'run'],
});
const RemindersWithoutSweep = processor('RemindersWithoutSweep', QUEUES.reminders, {
  send: ['reminders', 'send'],
});
const RemindersSentTwice = processor('RemindersSentTwice', QUEUES.reminders, {
  send: ['reminders', 'send'],
  sendAgain: ['reminders', 'send'],
  sweep: ['reminders', 'sweep'],
});
const EventsOnTheRemindersQueue = processor('EventsOnTheRemindersQueue', QUEUES.reminders, {
  send: ['reminders', 'send'],
  sweep: ['reminders', 'sweep'],
  sweepEvents: ['events', 'sweep'],
});

@Processor(QUEUES.reminders)
class Undeclared extends WorkerHost {
  async process(): Promise<void> {}
}

describe(jobHandlerProblems.name, () => {
  it.each<[string, object[], string[]]>([
    [
      'finds none when every job the app can enqueue has one handler',
      [
        new Events(),
        new Certificates(),
        new Accreditations(),
        new Reports(),
        new Retention(),
        new Reminders(),
        {},
      ],
      [],
    ],
    [
      'refuses a job that the app can enqueue and nothing handles',
      [
        new Events(),
        new Certificates(),
        new Accreditations(),
        new Reports(),
        new Retention(),
        new RemindersWithoutSweep(),
      ],
      ['No handler for reminders job sweep'],
    ],
    [
      'refuses a job with two handlers',
      [
        new Events(),
        new Certificates(),
        new Accreditations(),
        new Reports(),
        new Retention(),
        new RemindersSentTwice(),
      ],
      ['Two handlers for reminders job send: RemindersSentTwice.send, RemindersSentTwice.sendAgain'],
    ],
    [
      'refuses two processors competing for one queue',
      [
        new Events(),
        new Certificates(),
        new Accreditations(),
        new Reports(),
        new Retention(),
        new Reminders(),
        new RemindersWithoutSweep(),
      ],
      [
        'Two processors for the reminders queue: Reminders, RemindersWithoutSweep',
        'Two handlers for reminders job send: Reminders.send, RemindersWithoutSweep.send',
      ],
    ],
    [
      'refuses a handler for another queue than its processor consumes',
      [
        new Events(),
        new Certificates(),
        new Accreditations(),
        new Reports(),
        new Retention(),
        new EventsOnTheRemindersQueue(),
      ],
      ['EventsOnTheRemindersQueue.sweepEvents handles events job sweep, on the reminders queue'],
    ],
    [
      'refuses a processor whose jobs are not declared',
      [
        new Events(),
        new Certificates(),
        new Accreditations(),
        new Reports(),
        new Retention(),
        new Reminders(),
        new Undeclared(),
      ],
      ['Undeclared is not a @JobProcessor, so its jobs are not registered'],
    ],
  ])('%s', (_behaviour, processors, expected) => {
    expect(jobHandlerProblems(describeProcessors(processors))).toEqual(expected);
  });
});

describe(JobProcessorHost.name, () => {
  it('runs each job by the method registered for its name', async () => {
    const events = new Events();
    await events.process({ name: 'deliver', data: { eventId: 'e1' } } as Job);
    await events.process({ name: 'sweep', data: {} } as Job);
    expect(events.ran).toEqual(['deliver e1', 'sweep']);
  });

  it('fails a job whose name has no handler', async () => {
    await expect(new RemindersWithoutSweep().process({ name: 'sweep' } as Job)).rejects.toThrow(
      'RemindersWithoutSweep has no handler for job sweep',
    );
  });
});

describe(JobHandlersCheck.name, () => {
  async function startWorker(...processors: Type[]) {
    const registrar = { register: jest.fn() };
    const module = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [
        JobHandlersCheck,
        ...processors,
        { provide: BullRegistrar, useValue: registrar },
        { provide: APP_CONFIG, useValue: loadConfig({}) },
      ],
    }).compile();
    return { start: () => module.init(), registrar };
  }

  it('starts the workers once every job has one handler', async () => {
    const worker = await startWorker(Events, Certificates, Accreditations, Reports, Retention, Reminders);
    await worker.start();
    expect(worker.registrar.register).toHaveBeenCalledTimes(1);
  });

  it('refuses to start, and starts no worker, when a job has no handler', async () => {
    const worker = await startWorker(Events, Certificates, Accreditations, RemindersWithoutSweep);
    await expect(worker.start()).rejects.toThrow(
      'The worker cannot start: No handler for reminders job sweep',
    );
    expect(worker.registrar.register).not.toHaveBeenCalled();
  });
});
