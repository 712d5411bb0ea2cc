import PDFKit from 'pdfkit';

/** A small PDF of `pages` pages, made as the tests need it (optionally encrypted, through pdfkit's options). */
export function samplePdf(pages = 3, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((resolve) => {
    const document = new PDFKit(options);
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    for (let page = 1; page <= pages; page++) {
      if (page > 1) document.addPage();
      document.text(`Facilitator Training Manual, page ${page}`);
    }
    document.end();
  });
}
