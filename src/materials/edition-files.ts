import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where editions' PDFs are kept under STORAGE_DIR, by edition id, written whole or not at all. */
export class EditionFiles {
  constructor(private readonly storageDir: string) {}

  pathOf(editionId: string): string {
    return join(this.storageDir, 'materials', `${editionId}.pdf`);
  }

  async store(editionId: string, pdf: Buffer): Promise<void> {
    const path = this.pathOf(editionId);
    await mkdir(join(this.storageDir, 'materials'), { recursive: true });
    await writeFile(`${path}.partial`, pdf);
    await rename(`${path}.partial`, path);
  }

  /** For an edition whose row was refused after its file was written. */
  async remove(editionId: string): Promise<void> {
    await rm(this.pathOf(editionId), { force: true });
  }
}
