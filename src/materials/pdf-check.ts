import { PDFDocument } from 'pdf-lib';

export type PdfCheck = { ok: true; pageCount: number } | { ok: false; problem: string };

/**
 * Whether a file is a PDF that can be handed out and stamped: judged by its content, never its name. Encrypted
 * files are refused (they could not be stamped), and so are files a parser cannot read whole.
 */
export async function checkPdf(file: Buffer): Promise<PdfCheck> {
  if (file.length === 0) return { ok: false, problem: 'The file is empty' };
  if (file.subarray(0, 1024).indexOf('%PDF-') === -1)
    return { ok: false, problem: 'The file is not a PDF (whatever its name says)' };
  let pageCount: number;
  try {
    const document = await PDFDocument.load(file, { throwOnInvalidObject: true, updateMetadata: false });
    pageCount = document.getPageCount();
  } catch (error) {
    if (/encrypted/i.test((error as Error).message))
      return {
        ok: false,
        problem: 'The PDF is encrypted or password-protected; upload a copy without protection',
      };
    return { ok: false, problem: 'The PDF is damaged and cannot be read; export it again and upload that' };
  }
  if (pageCount === 0) return { ok: false, problem: 'The PDF has no pages' };
  return { ok: true, pageCount };
}
