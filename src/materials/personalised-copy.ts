import fontkit from '@pdf-lib/fontkit';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import {
  degrees,
  drawText,
  PDFContext,
  PDFCrossRefSection,
  PDFDict,
  PDFDocument,
  PDFFont,
  PDFHeader,
  PDFHexString,
  PDFName,
  PDFPage,
  PDFRef,
  PDFStream,
  PDFTrailer,
  PDFTrailerDict,
  rgb,
} from 'pdf-lib';

export interface CopyStamp {
  holderName: string;
  cohortName: string;
  /** The calendar day the copy is issued, YYYY-MM-DD (as londonToday() gives it). */
  issuedOn: string;
  copyNumber: number;
  materialTitle?: string;
  editionLabel?: string;
}

export interface CopyDigest {
  sha256: string;
  bytes: number;
}

export interface PersonalisedCopy {
  pageCount: number;
  /** The stamped PDF, made as it is read: it never sits whole in memory. */
  stream: Readable;
  /** Settles when the stream has been read to its end, with the SHA-256 and length of every byte it gave. */
  written: Promise<CopyDigest>;
}

/** The line printed on every page of a copy and set in its metadata. */
export function stampLine(stamp: CopyStamp): string {
  const issued = DateTime.fromISO(stamp.issuedOn, { locale: 'en-GB' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(stamp.issuedOn) || !issued.isValid)
    throw new Error(`A copy's issue date must be a calendar day (YYYY-MM-DD), not "${stamp.issuedOn}"`);
  if (!Number.isInteger(stamp.copyNumber) || stamp.copyNumber < 1)
    throw new Error(`A copy number must be a whole number from 1, not ${stamp.copyNumber}`);
  return [
    `Licensed to ${oneLine(stamp.holderName)}`,
    oneLine(stamp.cohortName),
    issued.toFormat('d LLLL yyyy'),
    `copy ${stamp.copyNumber}`,
  ].join(' · ');
}

// NFC so that a name typed with combining accents prints, and extracts, as the same letters as a precomposed one.
const oneLine = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * Stamps every page of an edition's PDF with `stampLine(stamp)` in the bottom margin, as the reader sees the page,
 * and sets the line in the document's metadata. Throws before anything is streamed if the PDF cannot be read.
 */
export async function personalisedCopy(source: Uint8Array, stamp: CopyStamp): Promise<PersonalisedCopy> {
  const line = stampLine(stamp);
  const document = await loadEdition(source);
  await stampPages(document, line);
  document.setSubject(line);
  if (stamp.materialTitle)
    document.setTitle(
      stamp.editionLabel ? `${stamp.materialTitle} (${stamp.editionLabel})` : stamp.materialTitle,
    );
  const info = document.context.lookup(document.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('LicensedTo'), PDFHexString.fromText(line));
  await document.flush();
  return { pageCount: document.getPageCount(), ...streamed(document.context) };
}

async function loadEdition(source: Uint8Array): Promise<PDFDocument> {
  let document: PDFDocument;
  try {
    // updateMetadata off: the same stamp on the same edition gives the same bytes, so the ledger's hash means something.
    document = await PDFDocument.load(source, { throwOnInvalidObject: true, updateMetadata: false });
  } catch (error) {
    throw new Error(
      `The edition's PDF cannot be read, so no copy can be made of it: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (document.getPageCount() === 0)
    throw new Error("The edition's PDF has no pages, so no copy can be made of it");
  return document;
}

// DejaVu Sans rather than a standard font: those are WinAnsi-encoded and cannot print "Łukasz" or "Nguyễn".
let dejaVuSans: Buffer | undefined;
const stampFont = () =>
  (dejaVuSans ??= readFileSync(
    join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'),
  ));

const FONT_SIZE = 7;
const SMALLEST_FONT_SIZE = 4;
const BASELINE_FROM_EDGE = 14;
const SIDE_MARGIN = 24;
const GREY = rgb(0.45, 0.45, 0.45);

async function stampPages(document: PDFDocument, line: string) {
  document.registerFontkit(fontkit);
  const font = await document.embedFont(stampFont(), { subset: true, customName: subsetName(line) });
  const text = font.encodeText(line);
  // Measured once: every measurement lays the line out with the font's shaping tables, which is slow.
  const width = font.widthOfTextAtSize(line, FONT_SIZE);
  // Pages of one size and rotation get the same operators: one content stream serves them all.
  const streams = new Map<string, PDFRef>();
  for (const page of document.getPages()) {
    const operators = drawText(text, { ...placement(page, width), font: fontKey(page, font), color: GREY });
    const key = operators.join('\n');
    let stream = streams.get(key);
    if (!stream) {
      stream = document.context.register(document.context.contentStream(operators));
      streams.set(key, stream);
    }
    page.node.addContentStream(stream);
  }
}

// PDF names a subset font with a tag of six capitals and a plus (ISO 32000-1, 9.6.4), as readers expect; taken
// from the line, so that the same stamp gives the same bytes.
function subsetName(line: string): string {
  const digest = createHash('sha256').update(line).digest();
  const tag = String.fromCharCode(...digest.subarray(0, 6).map((byte) => 65 + (byte % 26)));
  return `${tag}+DejaVuSans`;
}

// The same key on every page, so that pages' operators match; another only if a page already uses that name.
const STAMP_FONT = PDFName.of('LicenceStamp');
function fontKey(page: PDFPage, font: PDFFont): PDFName {
  // normalizedEntries() also wraps the page's own content in q/Q, so none of its state reaches the stamp.
  const fonts = page.node.normalizedEntries().Font;
  const named = fonts.get(STAMP_FONT);
  if (named === undefined) fonts.set(STAMP_FONT, font.ref);
  else if (named !== font.ref) return page.node.newFontDictionary(font.name, font.ref);
  return STAMP_FONT;
}

/**
 * Where the line goes so that it reads left to right along the bottom of the page as a viewer shows it: the
 * visible (crop) box, turned by the page's /Rotate. The text is turned by the same angle, counter-clockwise in
 * the page's own coordinates, which a viewer's clockwise rotation brings back to horizontal.
 */
function placement(page: PDFPage, widthAtFontSize: number) {
  const box = page.getCropBox();
  const angle = (((Math.round(page.getRotation().angle / 90) * 90) % 360) + 360) % 360;
  const across = angle % 180 === 0 ? box.width : box.height;
  const size = Math.max(
    SMALLEST_FONT_SIZE,
    Math.min(FONT_SIZE, (FONT_SIZE * (across - 2 * SIDE_MARGIN)) / widthAtFontSize),
  );
  const width = (widthAtFontSize * size) / FONT_SIZE;
  const right = box.x + box.width;
  const top = box.y + box.height;
  const origin = {
    0: { x: box.x + (box.width - width) / 2, y: box.y + BASELINE_FROM_EDGE },
    90: { x: right - BASELINE_FROM_EDGE, y: box.y + (box.height - width) / 2 },
    180: { x: box.x + (box.width + width) / 2, y: top - BASELINE_FROM_EDGE },
    270: { x: box.x + BASELINE_FROM_EDGE, y: box.y + (box.height + width) / 2 },
  }[angle as 0 | 90 | 180 | 270];
  return { ...origin, size, rotate: degrees(angle), xSkew: degrees(0), ySkew: degrees(0) };
}

function streamed(context: PDFContext): Omit<PersonalisedCopy, 'pageCount'> {
  const hash = createHash('sha256');
  let bytes = 0;
  function* hashed() {
    for (const chunk of serialised(context)) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  }
  const stream = Readable.from(hashed(), { objectMode: false, highWaterMark: CHUNK_SIZE });
  const written = new Promise<CopyDigest>((resolve, reject) => {
    stream.once('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
    stream.once('error', reject);
    stream.once('close', () => reject(new Error('The copy was not read to its end')));
  });
  // A caller that streams the copy and never asks for the digest must not crash the process when a download stops.
  written.catch(() => undefined);
  return { stream, written };
}

const CHUNK_SIZE = 64 * 1024;

/**
 * The document as PDF bytes, in chunks of about 64 KB: what pdf-lib's PDFWriter writes into one buffer of the
 * whole file, here a chunk at a time, with a classic cross-reference table (no object streams, so no object has to
 * wait for others to be compressed with it). Stream contents of a chunk or more are passed on as they are, uncopied.
 */
function* serialised(context: PDFContext): Generator<Uint8Array> {
  const out = new Chunks();
  const xref = PDFCrossRefSection.create();
  yield* out.write(PDFHeader.forVersion(1, 7));
  yield* out.text('\n\n');
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    // Rewritten, the file is no longer linearised; a stale hint would send a reader to the wrong offsets.
    if (object instanceof PDFDict && object.has(PDFName.of('Linearized'))) continue;
    xref.addEntry(ref, out.offset);
    yield* out.text(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    if (object instanceof PDFStream) {
      object.updateDict();
      yield* out.write(object.dict);
      yield* out.text('\nstream\n');
      yield* out.bytes(object.getContents());
      yield* out.text('\nendstream');
    } else {
      yield* out.write(object);
    }
    yield* out.text('\nendobj\n\n');
  }
  const xrefOffset = out.offset;
  yield* out.write(xref);
  yield* out.text('\n');
  const { Root, Info, ID } = context.trailerInfo;
  yield* out.write(PDFTrailerDict.of(context.obj({ Size: context.largestObjectNumber + 1, Root, Info, ID })));
  yield* out.text('\n\n');
  yield* out.write(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset));
  yield* out.end();
}

interface Serialisable {
  sizeInBytes(): number;
  copyBytesInto(buffer: Uint8Array, offset: number): number;
}

/** Gathers small writes into chunks of CHUNK_SIZE and gives out each chunk as it fills, counting the bytes. */
class Chunks {
  offset = 0;
  private chunk = Buffer.allocUnsafe(CHUNK_SIZE);
  private used = 0;

  *write(object: Serialisable): Generator<Uint8Array> {
    const size = object.sizeInBytes();
    yield* this.makeRoom(size);
    if (size > CHUNK_SIZE) {
      const own = new Uint8Array(size);
      object.copyBytesInto(own, 0);
      yield own;
    } else {
      this.used += object.copyBytesInto(this.chunk, this.used);
    }
    this.offset += size;
  }

  *text(ascii: string): Generator<Uint8Array> {
    yield* this.makeRoom(ascii.length);
    this.used += this.chunk.write(ascii, this.used, 'latin1');
    this.offset += ascii.length;
  }

  *bytes(contents: Uint8Array): Generator<Uint8Array> {
    if (contents.length >= CHUNK_SIZE) {
      yield* this.end();
      yield contents;
    } else {
      yield* this.makeRoom(contents.length);
      this.chunk.set(contents, this.used);
      this.used += contents.length;
    }
    this.offset += contents.length;
  }

  *end(): Generator<Uint8Array> {
    if (this.used === 0) return;
    // A new chunk rather than reuse: the one given out may still sit, unwritten, in a stream's buffer.
    yield this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_SIZE);
    this.used = 0;
  }

  private *makeRoom(size: number): Generator<Uint8Array> {
    if (this.used + size > CHUNK_SIZE) yield* this.end();
  }
}
