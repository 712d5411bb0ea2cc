import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';

/** A ZIP read with Debian's unzip: its entry names, and each entry's bytes. */
export class Zip {
  private readonly directory = mkdtempSync(join(tmpdir(), 'subject-access-'));
  private readonly path = join(this.directory, 'export.zip');

  constructor(bytes: Buffer) {
    writeFileSync(this.path, bytes);
  }

  names(): string[] {
    return execFileSync('unzip', ['-Z1', this.path], { encoding: 'utf8' }).trim().split('\n');
  }

  read(name: string): Buffer {
    return execFileSync('unzip', ['-p', this.path, name], { maxBuffer: 1 << 30 });
  }

  json<T = Record<string, unknown>>(recordType: string): T[] {
    return JSON.parse(this.read(`${recordType}.json`).toString('utf8')) as T[];
  }

  /** Every entry, decompressed, one after the other: what a search of the whole archive reads. */
  everything(): string {
    return this.names()
      .map((name) => this.read(name).toString('latin1'))
      .join('\n');
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export const asBuffer = (response: IncomingMessage, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

export async function download(agent: TestAgent, path: string): Promise<{ response: Response; zip: Zip }> {
  const response = await agent
    .get(path)
    .buffer(true)
    .parse((res, done) => asBuffer(res as unknown as IncomingMessage, done))
    .expect(200);
  return { response, zip: new Zip(response.body as Buffer) };
}
