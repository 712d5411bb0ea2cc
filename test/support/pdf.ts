import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'supertest';

/** The response body as bytes, whatever its content type (supertest would otherwise leave a PDF unread). */
export const asBytes = (request: Test) =>
  request.buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });

/** What a reader gets out of the PDF: the text of each page (pdftotext) and its document information (pdfinfo). */
export function readPdf(pdf: Buffer): { pages: string[]; info: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'fpm-pdf-')), 'document.pdf');
  writeFileSync(file, pdf);
  const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString().split('\f');
  // pdftotext ends each page with a form feed, so the last piece is empty.
  if (pages.at(-1)?.trim() === '') pages.pop();
  return { pages, info: execFileSync('pdfinfo', ['-enc', 'UTF-8', file]).toString() };
}
