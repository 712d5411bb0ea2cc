import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { PROJECT_ROOT } from 'src/common/paths';
import {
  CERTIFICATE_FIELDS,
  CertificateDocument,
  CertificateField,
} from 'src/certificates/certificate-document';

// The layout a designer edits (templates/certificates/certificate.json); positions are in points from the top left.
export interface CertificateLayout {
  page: { size: string; orientation: 'portrait' | 'landscape' };
  margins: { top: number; right: number; bottom: number; left: number };
  fonts: { regular: string; bold: string };
  colours: { text: string; muted: string; border: string };
  border?: { inset: number; lineWidth: number };
  metadata: { title: string; author: string; subject: string };
  blocks: LayoutBlock[];
}

export type LayoutBlock = TextBlock | QrBlock;

export interface TextBlock {
  type: 'text';
  role: 'H1' | 'P';
  text: string;
  font?: 'regular' | 'bold';
  fontSize: number;
  minFontSize?: number;
  maxLines?: number;
  x?: number;
  y: number;
  width?: number;
  align: 'left' | 'center' | 'right';
  colour?: 'text' | 'muted';
}

export interface QrBlock {
  type: 'qr';
  field: 'verificationUrl';
  x: number;
  y: number;
  size: number;
}

export const DEFAULT_LAYOUT_PATH = join(PROJECT_ROOT, 'templates', 'certificates', 'certificate.json');

export function loadLayout(path = DEFAULT_LAYOUT_PATH): CertificateLayout {
  const layout = JSON.parse(readFileSync(path, 'utf8')) as CertificateLayout;
  const problems = layoutProblems(layout);
  if (problems.length > 0) throw new Error(`Certificate layout ${path} is invalid: ${problems.join('; ')}`);
  return layout;
}

// A designer's typo should fail the first render loudly, not print "{holdername}" on every certificate.
function layoutProblems(layout: CertificateLayout): string[] {
  const problems: string[] = [];
  const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
  if (!Array.isArray(layout.blocks) || layout.blocks.length === 0) return ['blocks must be a non-empty list'];
  if (!layout.blocks.some((block) => block.type === 'text' && block.role === 'H1')) {
    problems.push('one text block must have role H1');
  }
  layout.blocks.forEach((block, index) => {
    const where = `blocks[${index}]`;
    if (!isNumber(block.y)) problems.push(`${where}.y must be a number`);
    if (block.type === 'qr') {
      if (block.field !== 'verificationUrl') problems.push(`${where}.field must be verificationUrl`);
      if (!isNumber(block.x) || !isNumber(block.size)) problems.push(`${where} needs numeric x and size`);
    } else if (block.type === 'text') {
      if (block.role !== 'H1' && block.role !== 'P') problems.push(`${where}.role must be H1 or P`);
      if (!isNumber(block.fontSize)) problems.push(`${where}.fontSize must be a number`);
      if (!['left', 'center', 'right'].includes(block.align))
        problems.push(`${where}.align is not left/center/right`);
      for (const name of placeholders(block.text ?? '')) {
        if (!(CERTIFICATE_FIELDS as readonly string[]).includes(name))
          problems.push(`${where} names unknown field {${name}}`);
      }
    } else {
      problems.push(`${where}.type must be text or qr`);
    }
  });
  for (const name of [layout.metadata?.title, layout.metadata?.author, layout.metadata?.subject].flatMap(
    (text) => placeholders(text ?? ''),
  )) {
    if (!(CERTIFICATE_FIELDS as readonly string[]).includes(name))
      problems.push(`metadata names unknown field {${name}}`);
  }
  return problems;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

/** A block all of whose fields are empty ("Facilitated by {facilitators}" with nobody to name) is left out. */
function saysNothing(text: string, doc: CertificateDocument): boolean {
  const fields = placeholders(text).map((name) => doc[name as CertificateField]);
  return fields.length > 0 && fields.every((value) => value.length === 0);
}

function fill(text: string, doc: CertificateDocument): string {
  return text.replace(/\{(\w+)\}/g, (_, name: CertificateField) => {
    const value: unknown = doc[name];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return listInEnglish(value);
    throw new Error(`Certificate ${doc.serial} has no ${name}`);
  });
}

function listInEnglish(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// DejaVu rather than pdfkit's standard 14 fonts: those are WinAnsi-encoded and cannot print "Łukasz" or "Nguyễn".
const FONT_DIRECTORY = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontFiles = new Map<string, Buffer>();
function fontFile(name: string): Buffer {
  let file = fontFiles.get(name);
  if (!file) {
    file = readFileSync(join(FONT_DIRECTORY, name));
    fontFiles.set(name, file);
  }
  return file;
}

// pdfkit supports these; its type definitions lag behind (no 'PDF/UA' subset, no bbox on structure elements).
type PdfOptions = Omit<PDFKit.PDFDocumentOptions, 'subset'> & { subset: 'PDF/UA' };
type FigureOptions = PDFKit.Mixins.StructureElementOptions & { bbox: number[]; placement: 'Block' };

export async function renderCertificatePdf(doc: CertificateDocument, layout = loadLayout()): Promise<Buffer> {
  const { margins } = layout;
  const pdf = new PDFDocument({
    size: layout.page.size,
    layout: layout.page.orientation,
    margins,
    tagged: true,
    subset: 'PDF/UA',
    pdfVersion: '1.7',
    displayTitle: true,
    lang: 'en-GB',
    info: {
      Title: fill(layout.metadata.title, doc),
      Author: fill(layout.metadata.author, doc),
      Subject: fill(layout.metadata.subject, doc),
      Creator: 'FPM Training Platform',
    },
  } satisfies PdfOptions as unknown as PDFKit.PDFDocumentOptions);

  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  let pages = 1;
  pdf.on('pageAdded', () => pages++);

  pdf.registerFont('regular', fontFile(layout.fonts.regular));
  pdf.registerFont('bold', fontFile(layout.fonts.bold));
  pdf.font('regular');

  const { width: pageWidth, height: pageHeight } = pdf.page;
  if (layout.border) {
    // Decoration, so an artifact: screen readers skip it and PDF/UA requires untagged content to be marked so.
    const { inset, lineWidth } = layout.border;
    pdf.markContent('Artifact', { type: 'Layout' });
    pdf
      .lineWidth(lineWidth)
      .strokeColor(layout.colours.border)
      .rect(inset, inset, pageWidth - 2 * inset, pageHeight - 2 * inset)
      .stroke();
    pdf.endMarkedContent();
  }

  const root = pdf.struct('Document');
  pdf.addStructure(root);
  for (const block of layout.blocks) {
    switch (block.type) {
      case 'text': {
        if (saysNothing(block.text, doc)) break;
        const x = block.x ?? margins.left;
        const width = block.width ?? pageWidth - x - margins.right;
        const text = fill(block.text, doc);
        const font = block.font ?? 'regular';
        const maxLines = block.maxLines ?? 1;
        const fontSize = fittingFontSize(pdf, text, font, width, maxLines, block.fontSize, block.minFontSize);
        pdf.font(font).fontSize(fontSize);
        const height = pdf.currentLineHeight(true) * maxLines + 1;
        root.add(
          pdf.struct(block.role, {}, () => {
            pdf
              .fillColor(layout.colours[block.colour ?? 'text'])
              .text(text, x, block.y, { width, height, align: block.align, ellipsis: true });
          }),
        );
        break;
      }
      case 'qr': {
        const alt = `QR code linking to the verification page for certificate ${doc.serial}`;
        const bbox = [block.x, block.y, block.x + block.size, block.y + block.size];
        const figure = { alt, bbox, placement: 'Block' } satisfies FigureOptions;
        root.add(pdf.struct('Figure', figure, () => drawQrCode(pdf, doc[block.field], block)));
        break;
      }
      default:
        throw new Error(`Unknown layout block ${JSON.stringify(block satisfies never)}`);
    }
  }
  root.end();
  pdf.end();
  const buffer = await finished;
  if (pages > 1)
    throw new Error(`Certificate ${doc.serial} ran over ${pages} pages; the layout leaves text no room`);
  return buffer;
}

// The largest size, in half points from fontSize down to minFontSize, at which the text fits in maxLines lines.
function fittingFontSize(
  pdf: PDFKit.PDFDocument,
  text: string,
  font: string,
  width: number,
  maxLines: number,
  fontSize: number,
  minFontSize = fontSize,
): number {
  for (let size = fontSize; size > minFontSize; size -= 0.5) {
    pdf.font(font).fontSize(size);
    if (pdf.heightOfString(text, { width }) <= pdf.currentLineHeight(true) * maxLines + 0.5) return size;
  }
  return minFontSize;
}

// Vector modules rather than a PNG: sharp at any zoom or print resolution, and smaller.
function drawQrCode(pdf: PDFKit.PDFDocument, url: string, block: QrBlock): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const cell = block.size / modules.size;
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) pdf.rect(block.x + column * cell, block.y + row * cell, cell, cell);
    }
  }
  pdf.fillColor('#000000').fill();
}
