import { checkPdf } from 'src/materials/pdf-check';
import { samplePdf } from 'src/materials/sample-pdf.fixture';

describe(checkPdf.name, () => {
  it('accepts a PDF and counts its pages', async () => {
    await expect(checkPdf(await samplePdf(3))).resolves.toEqual({ ok: true, pageCount: 3 });
  });

  it.each<[string, () => Promise<Buffer>, RegExp]>([
    ['an empty file', async () => Buffer.alloc(0), /empty/],
    ['a text file named .pdf', async () => Buffer.from('Reflective Practice Handbook\n'), /not a PDF/],
    ['a PDF cut short', async () => (await samplePdf()).subarray(0, 600), /damaged/],
    [
      'a header and nothing a parser can read',
      async () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 8 0 R >>'),
      /damaged|no pages/,
    ],
    ['an encrypted PDF', () => samplePdf(3, { userPassword: 'secret', pdfVersion: '1.7' }), /encrypted/],
  ])('refuses %s, saying why', async (_what, file, problem) => {
    const result = await checkPdf(await file());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(problem);
  });
});
