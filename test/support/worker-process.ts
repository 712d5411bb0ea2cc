import { ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from 'src/common/paths';
import { typeScriptLoader } from 'src/common/typescript-loader';

const running = new Set<WorkerProcess>();

/**
 * The worker (src/worker.ts) as a process of its own, run from the TypeScript sources, so that a test can kill it
 * as an operating system would. It logs warnings and errors, which a failing test can show.
 */
export class WorkerProcess {
  private readonly lines: string[] = [];
  private readonly exit: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    running.add(this);
    void this.exit.then(() => running.delete(this));
  }

  static start(env: NodeJS.ProcessEnv): WorkerProcess {
    const main = `
      // A test run that ends, however it ends, closes this pipe: the worker must not outlive it.
      process.stdin.on('end', () => process.exit(1)).resume();
      require('src/common/run-main').runMain(require('src/worker').startWorker);
    `;
    const child = spawn(process.execPath, ['-e', `${typeScriptLoader()}\n${main}`], {
      cwd: PROJECT_ROOT,
      env: { ...env, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  /** Kills every worker process still running: for afterAll, whatever the tests left. */
  static async killAll(): Promise<void> {
    await Promise.all([...running].map((worker) => worker.kill()));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Ends the process at once (by default as the kernel's OOM killer or a lost machine would), once it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exit;
  }

  /** The last lines it printed, to explain a failure. */
  output(last = 40): string {
    return this.lines.slice(-last).join('\n');
  }
}
