import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { degrees, PageSizes, PDFDict, PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { sha256 } from 'src/common/sha256';
import { CopyStamp, personalisedCopy, stampLine } from 'src/materials/personalised-copy';
import { generateSampleMaterialPdf } from 'src/materials/sample-material-pdf';
import { samplePdf } from 'src/materials/sample-pdf.fixture';

const directory = mkdtempSync(join(tmpdir(), 'personalised-copy-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// Poppler reads the copies as a reader's software would; a warning on stderr fails the test like an error.
function poppler(tool: string, ...args: string[]): string {
  const run = spawnSync(`/usr/bin/${tool}`, args, { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}
const pagesOfText = (file: string) => poppler('pdftotext', file, '-').split('\f').slice(0, -1);

const stamp = (overrides: Partial<CopyStamp> = {}): CopyStamp => ({
  holderName: 'Nguyễn Thị Mai',
  cohortName: 'Leeds spring cohort 2026',
  issuedOn: '2026-12-01',
  copyNumber: 3,
  ...overrides,
});

// Made once per length and shared: a 200-page handbook takes a moment to make.
const handbooks = new Map<number, Promise<Uint8Array>>();
function handbook(pages: number): Promise<Uint8Array> {
  let made = handbooks.get(pages);
  if (!made) {
    made = generateSampleMaterialPdf({
      title: 'Facilitator Handbook',
      code: 'FPM-FH',
      editionLabel: '2026 edition',
      pages,
    });
    handbooks.set(pages, made);
  }
  return made;
}

let files = 0;
async function copyToFile(source: Uint8Array, copyStamp = stamp()) {
  const file = join(directory, `copy-${++files}.pdf`);
  const copy = await personalisedCopy(source, copyStamp);
  await pipeline(copy.stream, createWriteStream(file));
  return { file, pageCount: copy.pageCount, digest: await copy.written };
}

describe(stampLine.name, () => {
  it('names the holder, cohort, day of issue and copy number, with middle dots between', () => {
    expect(stampLine(stamp({ holderName: 'Zoë Ní Bhriain' }))).toBe(
      'Licensed to Zoë Ní Bhriain · Leeds spring cohort 2026 · 1 December 2026 · copy 3',
    );
  });

  it('writes accents composed and a name on one line, however they were typed', () => {
    const line = stampLine(stamp({ holderName: ' Zoe\u0308  Ní\nBhriain ', cohortName: 'Leeds\tspring' }));
    expect(line).toBe('Licensed to Zoë Ní Bhriain · Leeds spring · 1 December 2026 · copy 3');
  });

  it.each<[string, Partial<CopyStamp>, RegExp]>([
    ['a date that is not a calendar day', { issuedOn: '2026-02-30' }, /calendar day/],
    ['a date and time', { issuedOn: '2026-12-01T10:00:00Z' }, /calendar day/],
    ['copy number 0', { copyNumber: 0 }, /copy number/],
    ['a fractional copy number', { copyNumber: 1.5 }, /copy number/],
  ])('refuses %s', (_what, overrides, problem) => {
    expect(() => stampLine(stamp(overrides))).toThrow(problem);
  });
});

describe(personalisedCopy.name, () => {
  it.each(['Nguyễn Thị Mai', 'Zoë Ní Bhriain', 'Łukasz Wąsowski', 'Ayşe Yılmaz'])(
    'prints the exact line for %s on every page and keeps every page',
    async (holderName) => {
      const { file, pageCount } = await copyToFile(await handbook(12), stamp({ holderName }));
      const line = stampLine(stamp({ holderName }));
      expect(pageCount).toBe(12);
      expect(poppler('pdfinfo', file)).toMatch(/^Pages:\s+12$/m);
      const pages = pagesOfText(file);
      expect(pages).toHaveLength(12);
      pages.forEach((text, index) => {
        expect(text).toContain(line);
        expect(text).toContain(`Page ${index + 1} of 12`);
      });
    },
  );

  it('sets the line as the subject and as a LicensedTo entry, and the title when given one', async () => {
    const { file } = await copyToFile(
      await handbook(12),
      stamp({ materialTitle: 'Facilitator Handbook', editionLabel: '2026 edition' }),
    );
    const line = stampLine(stamp());
    expect(poppler('pdfinfo', file)).toMatch(new RegExp(`^Subject:\\s+${line}$`, 'm'));
    expect(poppler('pdfinfo', '-custom', file)).toMatch(new RegExp(`^LicensedTo:\\s+${line}$`, 'm'));
    expect(poppler('pdfinfo', file)).toMatch(/^Title:\s+Facilitator Handbook \(2026 edition\)$/m);
  });

  it('embeds the stamp font as a Unicode-mapped subset of DejaVu Sans', async () => {
    const { file } = await copyToFile(await handbook(12));
    const fonts = poppler('pdffonts', file);
    expect(fonts).toMatch(/^[A-Z]{6}\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/m);
  });

  it('gives the SHA-256 and length of exactly the bytes it streamed', async () => {
    const { file, digest } = await copyToFile(await handbook(12));
    expect(digest).toEqual({ sha256: sha256(readFileSync(file)), bytes: statSync(file).size });
  });

  it('makes the copy only as fast as a slow reader takes it, and the same bytes as for a fast one', async () => {
    const fast = await copyToFile(await handbook(200));
    const copy = await personalisedCopy(await handbook(200), stamp());
    const received: Buffer[] = [];
    let mostMadeAhead = 0;
    const slowReader = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        mostMadeAhead = Math.max(mostMadeAhead, copy.stream.readableLength);
        setTimeout(done, 2);
      },
    });
    await pipeline(copy.stream, slowReader);

    const bytes = Buffer.concat(received);
    expect(bytes.equals(readFileSync(fast.file))).toBe(true);
    await expect(copy.written).resolves.toEqual(fast.digest);
    // The copy is many 64 KB chunks long, yet never more than a chunk or two was made ahead of the reader.
    expect(bytes.length).toBeGreaterThan(4 * 64 * 1024);
    expect(mostMadeAhead).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it('gives no digest for a copy whose reader failed part way', async () => {
    const copy = await personalisedCopy(await handbook(200), stamp());
    const failing = new Writable({ write: (_chunk, _encoding, done) => done(new Error('connection reset')) });
    await expect(pipeline(copy.stream, failing)).rejects.toThrow('connection reset');
    await expect(copy.written).rejects.toThrow();
  });

  it.each<[string, () => Promise<Uint8Array>]>([
    ['a PDF cut short', async () => (await samplePdf()).subarray(0, 600)],
    ['a text file', async () => Buffer.from('Reflective Practice Handbook\n')],
    ['an encrypted PDF', () => samplePdf(3, { userPassword: 'secret', pdfVersion: '1.7' })],
  ])('refuses %s, saying it cannot be read', async (_what, source) => {
    await expect(personalisedCopy(await source(), stamp())).rejects.toThrow(
      /The edition's PDF (cannot be read|has no pages), so no copy can be made of it/,
    );
  });

  it('stamps a PDF from another producer, written with a classic cross-reference table', async () => {
    const { file } = await copyToFile(await samplePdf(3));
    const pages = pagesOfText(file);
    expect(pages).toHaveLength(3);
    pages.forEach((text, index) => {
      expect(text).toContain(`Facilitator Training Manual, page ${index + 1}`);
      expect(text).toContain(stampLine(stamp()));
    });
  });

  it('leaves alone a font that a page already names as the stamp font names its own', async () => {
    const document = await PDFDocument.create();
    const helvetica = await document.embedFont(StandardFonts.Helvetica);
    const page = document.addPage(PageSizes.A4);
    page.drawText('A page stamped once already', { x: 72, y: 700, font: helvetica });
    page.node.setFontDictionary(PDFName.of('LicenceStamp'), helvetica.ref);
    const { file } = await copyToFile(await document.save());

    expect(pagesOfText(file)[0]).toContain(stampLine(stamp()));
    const copy = await PDFDocument.load(readFileSync(file));
    const fonts = copy.getPage(0).node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
    const named = fonts.lookup(PDFName.of('LicenceStamp'), PDFDict);
    expect(named.get(PDFName.of('BaseFont'))).toBe(PDFName.of('Helvetica'));
  });

  it('stamps each page along the bottom of the page as a viewer shows it, whatever its size and rotation', async () => {
    const document = await PDFDocument.create();
    const font = await document.embedFont(StandardFonts.Helvetica);
    const pages: [number, [number, number]][] = [
      [0, PageSizes.A4],
      [90, PageSizes.A4],
      [180, PageSizes.A4],
      [270, PageSizes.A4],
      [0, [PageSizes.Letter[1], PageSizes.Letter[0]]],
      [90, PageSizes.A5],
    ];
    for (const [rotation, size] of pages) {
      const page = document.addPage(size);
      page.setRotation(degrees(rotation));
      page.drawText(`Turned ${rotation} degrees`, { x: 72, y: size[1] - 100, size: 14, font });
    }
    const { file } = await copyToFile(await document.save());

    // pdftotext's boxes are in the page as shown: y grows downwards from the top of the turned page.
    const bboxes = poppler('pdftotext', '-bbox', file, '-');
    const shown = [...bboxes.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)];
    expect(shown).toHaveLength(pages.length);
    shown.forEach(([, width, height, words], index) => {
      const turned = pages[index][0] % 180 !== 0;
      const [across, down] = turned ? [Number(height), Number(width)] : [Number(width), Number(height)];
      const stampWords = [
        ...words.matchAll(/xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</g),
      ]
        .filter(([, , , , word]) => stampLine(stamp()).split(' ').includes(word))
        .map(([, xMin, xMax, yMax]) => ({ xMin: Number(xMin), xMax: Number(xMax), yMax: Number(yMax) }));
      expect(stampWords.length).toBeGreaterThanOrEqual(stampLine(stamp()).split(' ').length);
      for (const word of stampWords) {
        expect(down - word.yMax).toBeGreaterThan(5);
        expect(down - word.yMax).toBeLessThan(20);
        expect(word.xMin).toBeGreaterThan(0);
        expect(word.xMax).toBeLessThan(across);
      }
    });
  });
});
