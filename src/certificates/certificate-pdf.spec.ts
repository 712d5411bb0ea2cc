import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateDocument } from 'src/certificates/certificate-document';
import { sampleCertificate } from 'src/certificates/certificate-document.fixture';
import { loadLayout, renderCertificatePdf } from 'src/certificates/certificate-pdf';

const directory = mkdtempSync(join(tmpdir(), 'certificate-pdf-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
async function renderToFile(doc: CertificateDocument): Promise<string> {
  const file = join(directory, `certificate-${++files}.pdf`);
  writeFileSync(file, await renderCertificatePdf(doc));
  return file;
}

const poppler = (tool: string, ...args: string[]) =>
  execFileSync(`/usr/bin/${tool}`, args, { encoding: 'utf8' });
const words = (text: string) => text.replace(/\s+/g, ' ');

describe(renderCertificatePdf.name, () => {
  it.each(['Zoë Ní Bhriain', 'Łukasz Wąsowski', 'Nguyễn Thị Hoa', 'Ayşe Yılmaz'])(
    'prints the name %s exactly, with the serial, course and verification address',
    async (holderName) => {
      const doc = sampleCertificate({ holderName });
      const text = words(poppler('pdftotext', '-layout', await renderToFile(doc), '-'));
      expect(text).toContain(holderName);
      expect(text).toContain(doc.serial);
      expect(text).toContain(doc.courseName);
      expect(text).toContain(doc.verificationUrl);
    },
  );

  it('produces one tagged PDF 1.7 page whose title names the course', async () => {
    const info = poppler('pdfinfo', await renderToFile(sampleCertificate()));
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Certificate of completion: Family Partnership Model Foundation Course$/m);
    expect(info).toMatch(/^Author:\s+Centre for Parent and Child Support$/m);
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^PDF version:\s+1\.7$/m);
    expect(info).toMatch(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
  });

  it('embeds DejaVu Sans and no standard font', async () => {
    const fonts = poppler('pdffonts', await renderToFile(sampleCertificate()))
      .split('\n')
      .slice(2)
      .filter(Boolean);
    expect(fonts.map((line) => line.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'DejaVuSans',
      'DejaVuSans-Bold',
    ]);
    // Columns: name type encoding emb sub uni object-id; every font embedded, subset and mapped to Unicode.
    for (const line of fonts) expect(line).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
  });

  it('tags the text as a heading and paragraphs in reading order, then the QR code as a figure', async () => {
    const structure = poppler('pdfinfo', '-struct-text', await renderToFile(sampleCertificate()));
    const elements = [...structure.matchAll(/^ {2}(\w+)(?:.*\n\s+"([^"]*)")?/gm)].map(([, tag, text]) => [
      tag,
      text,
    ]);
    expect(elements).toEqual([
      ['H1', 'Certificate of completion'],
      ['P', 'This certifies that'],
      ['P', 'Zoë Ní Bhriain'],
      ['P', 'has completed'],
      ['P', 'Family Partnership Model Foundation Course'],
      ['P', 'Foundation course, 2026 edition'],
      ['P', 'Leeds spring cohort, 12 January 2026 to 12 March 2026'],
      ['P', 'Facilitated by Ayşe Yılmaz and Łukasz Wąsowski'],
      ['P', 'Issued on 14 March 2026 by Centre for Parent and Child Support'],
      ['P', 'Certificate number FPM-2026-000123'],
      ['P', 'Check this certificate at https://training.example.org/certificates/verify/FPM-2026-000123'],
      ['Figure', undefined],
    ]);
    expect(structure).toMatch(/^Document\n/);
  });

  it('leaves out a line with nothing to say: no facilitator left to name', async () => {
    const structure = poppler(
      'pdfinfo',
      '-struct-text',
      await renderToFile(sampleCertificate({ facilitators: [] })),
    );
    expect(structure).toContain('has completed');
    expect(structure).not.toContain('Facilitated by');
    expect(structure).toContain('Issued on 14 March 2026 by Centre for Parent and Child Support');
  });

  it('gives the QR code alt text and declares PDF/UA, the language and the title as window title', async () => {
    const pdf = (await renderCertificatePdf(sampleCertificate())).toString('latin1');
    expect(pdf).toContain('/Alt (QR code linking to the verification page for certificate FPM-2026-000123)');
    expect(pdf).toContain('<pdfuaid:part>1</pdfuaid:part>');
    expect(pdf).toContain('/Lang (en-GB)');
    expect(pdf).toContain('/DisplayDocTitle true');
  });

  it('keeps a very long name on the one page by setting it smaller', async () => {
    const holderName = 'Maria Fernanda de los Ángeles Rodríguez-Villanueva y García-Hernández Ó Súilleabháin';
    const file = await renderToFile(sampleCertificate({ holderName }));
    expect(poppler('pdfinfo', file)).toMatch(/^Pages:\s+1$/m);
    // Wrapped over two lines, but whole: the last word is there, not an ellipsis.
    expect(words(poppler('pdftotext', '-raw', file, '-'))).toContain(
      'García-Hernández Ó Súilleabháin has completed',
    );
  });

  it('embeds an Arabic-script name without failing', async () => {
    const file = await renderToFile(sampleCertificate({ holderName: 'فاطمة الزهراء' }));
    expect(poppler('pdfinfo', file)).toMatch(/^Pages:\s+1$/m);
  });

  it('refuses a layout that names a field the certificate does not have', () => {
    const path = join(directory, 'bad-layout.json');
    const layout = loadLayout();
    layout.blocks.push({ type: 'text', role: 'P', text: '{holdername}', fontSize: 12, y: 10, align: 'left' });
    writeFileSync(path, JSON.stringify(layout));
    expect(() => loadLayout(path)).toThrow('blocks[12] names unknown field {holdername}');
  });
});
