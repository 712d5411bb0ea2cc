import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where certificates' PDFs are kept under STORAGE_DIR, written whole or not at all. */
export class CertificateFiles {
  constructor(private readonly storageDir: string) {}

  /** Where the PDF is under STORAGE_DIR, as stored with an e-mail that attaches it. */
  relativePathOf(serial: string): string {
    return join('certificates', `${serial}.pdf`);
  }

  pathOf(serial: string): string {
    return join(this.storageDir, this.relativePathOf(serial));
  }

  /** Writes beside, then renames over: a reader never sees half a file. Returns the SHA-256 of what was written. */
  async store(serial: string, pdf: Buffer): Promise<string> {
    const path = this.pathOf(serial);
    await mkdir(join(this.storageDir, 'certificates'), { recursive: true });
    await writeFile(`${path}.partial`, pdf);
    await rename(`${path}.partial`, path);
    return sha256(pdf);
  }

  read(serial: string): Promise<Buffer> {
    return readFile(this.pathOf(serial));
  }
}

export const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
