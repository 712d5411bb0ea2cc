import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSampleMaterialPdf } from 'src/materials/sample-material-pdf';

const directory = mkdtempSync(join(tmpdir(), 'sample-material-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const poppler = (tool: string, ...args: string[]) =>
  execFileSync(`/usr/bin/${tool}`, args, { encoding: 'utf8' });

describe(generateSampleMaterialPdf.name, () => {
  it('makes a title page, then numbered A4 pages of sections that differ from one another', async () => {
    const file = join(directory, 'sample.pdf');
    writeFileSync(
      file,
      await generateSampleMaterialPdf({
        title: 'Facilitator Handbook',
        code: 'FPM-FH',
        editionLabel: '2026 edition',
        pages: 5,
      }),
    );

    const info = poppler('pdfinfo', file);
    expect(info).toMatch(/^Pages:\s+5$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expect(info).toMatch(/^Title:\s+Facilitator Handbook \(2026 edition\)$/m);
    const pages = poppler('pdftotext', file, '-').split('\f').slice(0, -1);
    expect(pages).toHaveLength(5);
    expect(pages[0]).toContain('Facilitator Handbook');
    expect(pages[0]).toContain('2026 edition');
    pages.forEach((text, index) => expect(text).toContain(`Page ${index + 1} of 5`));
    expect(pages[2]).toContain('Section 2:');
    expect(pages[2].replace(/\s+/g, ' ')).toContain(
      'Sample page 3 of the Facilitator Handbook: this demonstration text',
    );
    expect(new Set(pages.slice(1).map((text) => text.replace(/\d+/g, ''))).size).toBe(4);
  });

  it('refuses a page count that is not a whole number from 1', async () => {
    await expect(
      generateSampleMaterialPdf({ title: 'Handbook', code: 'H', editionLabel: '1st', pages: 0 }),
    ).rejects.toThrow(/whole number of pages/);
  });
});
