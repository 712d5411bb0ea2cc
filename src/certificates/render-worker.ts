import { parentPort } from 'node:worker_threads';
import { CertificateDocument } from 'src/certificates/certificate-document';
import { renderCertificatePdf } from 'src/certificates/certificate-pdf';

export interface RenderRequest {
  id: number;
  doc: CertificateDocument;
}

export type RenderReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

// Runs inside a worker thread started by render-pool.ts: one render at a time, the PDF's bytes moved, not copied, back.
parentPort?.on('message', ({ id, doc }: RenderRequest) => {
  renderCertificatePdf(doc).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf);
      parentPort?.postMessage({ id, pdf: bytes } satisfies RenderReply, [bytes.buffer]);
    },
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      parentPort?.postMessage({ id, error: message } satisfies RenderReply);
    },
  );
});
