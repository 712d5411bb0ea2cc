import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A Redis server of one test file's own, so that it can be stopped and started again without touching the others.
 * It keeps nothing on disk: a restart comes back empty, as a Redis without persistence does.
 */
export class PrivateRedis {
  private process?: ChildProcess;
  constructor(readonly port: number) {}

  static async onFreePort(): Promise<PrivateRedis> {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    return new PrivateRedis(port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await this.answers()) return;
      await sleep(50);
    }
    throw new Error(`Redis on ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process?.once('exit', resolve));
    this.process.kill('SIGKILL');
    await exited;
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const ping = spawn('redis-cli', ['-p', String(this.port), 'ping'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      ping.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      ping.on('exit', () => resolve(out.includes('PONG')));
    });
  }
}
