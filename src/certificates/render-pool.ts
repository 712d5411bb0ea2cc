import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { typeScriptLoader } from 'src/common/typescript-loader';
import { CertificateDocument } from 'src/certificates/certificate-document';
import type { RenderReply, RenderRequest } from 'src/certificates/render-worker';

export interface RenderPool {
  render(doc: CertificateDocument): Promise<Buffer>;
  /** Finishes the renders already asked for, then stops the threads; later renders are refused. */
  close(): Promise<void>;
}

interface Task {
  id: number;
  doc: CertificateDocument;
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  task?: Task;
}

// Compiled (dist/), the worker is the .js beside this file. Under ts-jest there is only TypeScript, so the thread
// compiles it as it loads it (src/common/typescript-loader.ts).
const COMPILED = __filename.endsWith('.js');
const WORKER_SCRIPT = join(__dirname, COMPILED ? 'render-worker.js' : 'render-worker.ts');

// A render needs a few megabytes; with a heap this size V8 collects as it goes, where by default it lets each
// thread's heap grow by hundreds of megabytes over a long bulk run before collecting.
const THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

function startWorker(): Worker {
  if (COMPILED) return new Worker(WORKER_SCRIPT, { resourceLimits: THREAD_LIMITS });
  return new Worker(`${typeScriptLoader()}\nrequire(${JSON.stringify(WORKER_SCRIPT)});`, {
    eval: true,
    resourceLimits: THREAD_LIMITS,
  });
}

/**
 * Renders certificates on worker threads, so a long bulk run leaves the event loop free (BullMQ renews its job
 * locks from a timer on it). Threads start on first use; an idle thread does not keep the process alive.
 */
export function createRenderPool(size = 2): RenderPool {
  if (!Number.isInteger(size) || size < 1 || size > availableParallelism() * 4) {
    throw new Error(`A render pool needs between 1 and ${availableParallelism() * 4} threads, not ${size}`);
  }
  const threads: Thread[] = [];
  const queue: Task[] = [];
  const pending = new Set<Promise<unknown>>();
  let nextId = 1;
  let closed = false;

  function spawn(): Thread {
    const thread: Thread = { worker: startWorker() };
    thread.worker.on('message', (reply: RenderReply) => {
      const task = thread.task;
      if (!task || task.id !== reply.id) return;
      thread.task = undefined;
      if ('pdf' in reply)
        task.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else task.reject(new Error(`Certificate ${task.doc.serial} did not render: ${reply.error}`));
      dispatch();
    });
    // A thread that dies takes only its own render with it; the next render starts a fresh thread.
    const lose = (error: Error) => {
      threads.splice(threads.indexOf(thread), 1);
      thread.task?.reject(error);
      thread.task = undefined;
      dispatch();
    };
    thread.worker.on('error', lose);
    thread.worker.on('exit', (code) => {
      if (threads.includes(thread)) lose(new Error(`Certificate render thread stopped with code ${code}`));
    });
    threads.push(thread);
    return thread;
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const thread =
        threads.find((candidate) => !candidate.task) ?? (threads.length < size ? spawn() : undefined);
      if (!thread) break;
      const task = queue.shift()!;
      thread.task = task;
      thread.worker.ref();
      thread.worker.postMessage({ id: task.id, doc: task.doc } satisfies RenderRequest);
    }
    for (const thread of threads) if (!thread.task) thread.worker.unref();
  }

  return {
    render(doc) {
      if (closed) return Promise.reject(new Error('The certificate render pool is closed'));
      const rendered = new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, doc, resolve, reject });
      });
      const settled = rendered.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      dispatch();
      return rendered;
    },
    async close() {
      closed = true;
      await Promise.all(pending);
      const stopping = threads.splice(0).map((thread) => thread.worker.terminate());
      await Promise.all(stopping);
    },
  };
}
