import { createHash } from 'node:crypto';

/** The SHA-256 of a file's bytes, as hex: what stored PDFs are recorded and checked by. */
export const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
