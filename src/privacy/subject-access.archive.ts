import type { Archiver } from 'archiver';
import { PassThrough } from 'node:stream';
import type { DataSubject, PersonalDataSource } from 'src/privacy/personal-data';

export interface ArchivedRecordType {
  source: string;
  name: string;
  description: string;
  /** Null for a type whose items are files, listed in ArchiveContents.files. */
  fileName: string | null;
  count: number;
}

export interface ArchiveContents {
  recordTypes: ArchivedRecordType[];
  files: Array<{ recordType: string; name: string }>;
}

/** The archive was closed before it was complete: its reader went away, or it failed. */
class ArchiveClosed extends Error {
  constructor() {
    super('The archive was closed before it was complete');
  }
}

/**
 * Writes each source's records into the ZIP as they are read: a JSON array per record type, written record by
 * record into an entry the archive compresses as it goes, waiting whenever the reader of the ZIP is slower.
 */
export async function writePersonalData(
  zip: Archiver,
  subject: DataSubject,
  sources: readonly PersonalDataSource[],
): Promise<ArchiveContents> {
  const contents: ArchiveContents = { recordTypes: [], files: [] };
  for (const source of sources) {
    const types = new Map<string, ArchivedRecordType>(
      source.recordTypes.map((type) => [
        type.name,
        { source: source.name, ...type, fileName: `${type.name}.json`, count: 0 },
      ]),
    );
    const written = new Set<string>();
    let entry: JsonArrayEntry | null = null;
    for await (const item of source.export(subject)) {
      if (zip.destroyed) throw new ArchiveClosed();
      const type = types.get(item.recordType);
      if (!type) throw new Error(`${source.name} gave a record of undeclared type ${item.recordType}`);
      type.count += 1;
      if ('file' in item) {
        const name = `files/${item.file.name}`;
        zip.append(item.file.open(), { name });
        contents.files.push({ recordType: type.name, name });
        continue;
      }
      if (entry?.recordType !== type.name) {
        if (written.has(type.name)) throw new Error(`${source.name} gave ${type.name} records apart`);
        entry?.end();
        entry = new JsonArrayEntry(zip, type);
        written.add(type.name);
      }
      await entry.write(item.record);
    }
    entry?.end();
    for (const type of types.values()) {
      if (contents.files.some((file) => file.recordType === type.name)) type.fileName = null;
      // A type with no records still has its (empty) file, so the archive shows it was looked for.
      else if (!written.has(type.name)) zip.append('[]\n', { name: `${type.name}.json` });
      contents.recordTypes.push(type);
    }
  }
  return contents;
}

class JsonArrayEntry {
  private readonly stream = new PassThrough();
  private first = true;

  constructor(
    private readonly zip: Archiver,
    readonly type: ArchivedRecordType,
  ) {
    zip.append(this.stream, { name: `${type.name}.json` });
  }

  get recordType(): string {
    return this.type.name;
  }

  async write(record: object): Promise<void> {
    const text = `${this.first ? '[\n' : ',\n'}${JSON.stringify(record)}`;
    this.first = false;
    if (!this.stream.write(text)) await this.drained();
  }

  end(): void {
    this.stream.end(this.first ? '[]\n' : '\n]\n');
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => () => {
        this.stream.off('drain', onDrain);
        this.zip.off('close', onClose);
        this.zip.off('error', onClose);
        outcome();
      };
      const onDrain = settle(resolve);
      const onClose = settle(() => {
        this.stream.destroy();
        reject(new ArchiveClosed());
      });
      this.stream.once('drain', onDrain);
      this.zip.once('close', onClose);
      this.zip.once('error', onClose);
    });
  }
}

export function isArchiveClosed(error: unknown): boolean {
  return error instanceof ArchiveClosed;
}
