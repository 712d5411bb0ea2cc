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

@JobProcessor(QUEUES.mail)
class Mail extends JobProcessorHost {
  readonly ran: string[] = [];

  @OnJob(QUEUES.mail, JOBS.mail.send)
  async send(job: QueueJob<'mail', 'send'>): Promise<void> {
    this.ran.push(`send ${job.data.messageId}`);
  }

  @OnJob(QUEUES.mail, JOBS.mail.sweep)
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
const RemindersWithoutSweep = processor('RemindersWithoutSweep', QUEUES.reminders, {
  send: ['reminders', 'send'],
});
const RemindersSentTwice = processor('RemindersSentTwice', QUEUES.reminders, {
  send: ['reminders', 'send'],
  sendAgain: ['reminders', 'send'],
  sweep: ['reminders', 'sweep'],
});
const MailOnTheRemindersQueue = processor('MailOnTheRemindersQueue', QUEUES.reminders, {
  send: ['reminders', 'send'],
  sweep: ['reminders', 'sweep'],
  sweepMail: ['mail', 'sweep'],
});

@Processor(QUEUES.reminders)
class Undeclared extends WorkerHost {
  async process(): Promise<void> {}
}

describe(jobHandlerProblems.name, () => {
  it.each<[string, object[], string[]]>([
    ['finds none when every job the app can enqueue has one handler', [new Mail(), new Reminders(), {}], []],
    [
      'refuses a job that the app can enqueue and nothing handles',
      [new Mail(), new RemindersWithoutSweep()],
      ['No handler for reminders job sweep'],
    ],
    [
      'refuses a job with two handlers',
      [new Mail(), new RemindersSentTwice()],
      ['Two handlers for reminders job send: RemindersSentTwice.send, RemindersSentTwice.sendAgain'],
    ],
    [
      'refuses two processors competing for one queue',
      [new Mail(), new Reminders(), new RemindersWithoutSweep()],
      [
        'Two processors for the reminders queue: Reminders, RemindersWithoutSweep',
        'Two handlers for reminders job send: Reminders.send, RemindersWithoutSweep.send',
      ],
    ],
    [
      'refuses a handler for another queue than its processor consumes',
      [new Mail(), new MailOnTheRemindersQueue()],
      ['MailOnTheRemindersQueue.sweepMail handles a mail job on the reminders queue'],
    ],
    [
      'refuses a processor whose jobs are not declared',
      [new Mail(), new Reminders(), new Undeclared()],
      ['Undeclared is not a @JobProcessor, so its jobs are not registered'],
    ],
  ])('%s', (_behaviour, processors, expected) => {
    expect(jobHandlerProblems(describeProcessors(processors))).toEqual(expected);
  });
});

describe(JobProcessorHost.name, () => {
  it('runs each job by the method registered for its name', async () => {
    const mail = new Mail();
    await mail.process({ name: 'send', data: { messageId: 'm1' } } as Job);
    await mail.process({ name: 'sweep', data: {} } as Job);
    expect(mail.ran).toEqual(['send m1', 'sweep']);
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
      providers: [JobHandlersCheck, ...processors, { provide: BullRegistrar, useValue: registrar }],
    }).compile();
    return { start: () => module.init(), registrar };
  }

  it('starts the workers once every job has one handler', async () => {
    const worker = await startWorker(Mail, Reminders);
    await worker.start();
    expect(worker.registrar.register).toHaveBeenCalledTimes(1);
  });

  it('refuses to start, and starts no worker, when a job has no handler', async () => {
    const worker = await startWorker(Mail, RemindersWithoutSweep);
    await expect(worker.start()).rejects.toThrow(
      'The worker cannot start: No handler for reminders job sweep',
    );
    expect(worker.registrar.register).not.toHaveBeenCalled();
  });
});
