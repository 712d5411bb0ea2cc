import { randomUUID } from 'node:crypto';
import { sha256 } from 'src/common/sha256';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
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

  /**
   * Stores a serial's PDF once: the first stored stays, and the SHA-256 returned is always that of the file kept.
   * Two workers can render one certificate at once (BullMQ hands a job whose lock ran out to another); each render
   * differs (its creation time), and the one kept must be the one whose SHA-256 the certificate records.
   * Written beside, then linked into place: a reader never sees half a file.
   */
  async store(serial: string, pdf: Buffer): Promise<string> {
    const path = this.pathOf(serial);
    const partial = `${path}.${randomUUID()}.partial`;
    await mkdir(join(this.storageDir, 'certificates'), { recursive: true });
    const file = await open(partial, 'wx');
    try {
      await file.writeFile(pdf);
      // Synced before it is linked: a PDF kept for good must not be lost half-written with the machine.
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await link(partial, path);
      return sha256(pdf);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return sha256(await readFile(path));
    } finally {
      await unlink(partial);
    }
  }

  /** Deletes a serial's PDF; one already gone is no fault. */
  async remove(serial: string): Promise<void> {
    await unlink(this.pathOf(serial)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  read(serial: string): Promise<Buffer> {
    return readFile(this.pathOf(serial));
  }
}
