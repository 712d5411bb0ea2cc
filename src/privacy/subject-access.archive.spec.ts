import archiver from 'archiver';
import { Readable } from 'node:stream';
import type { PersonalDataItem, PersonalDataSource } from 'src/privacy/personal-data';
import { writePersonalData } from 'src/privacy/subject-access.archive';

const subject = { id: 'person', email: 'person@example.org', name: 'A Person' };

function source(items: PersonalDataItem[]): PersonalDataSource {
  return {
    name: 'example',
    recordTypes: [
      { name: 'notes', description: 'Notes' },
      { name: 'tasks', description: 'Tasks' },
      { name: 'scans', description: 'Scanned files' },
    ],
    async *export() {
      yield* items;
    },
    erase: () => Promise.resolve({}),
  };
}

async function write(items: PersonalDataItem[]) {
  const zip = archiver('zip');
  const names: string[] = [];
  zip.on('entry', (entry) => names.push(entry.name));
  zip.resume();
  const contents = await writePersonalData(zip, subject, [source(items)]);
  await zip.finalize();
  return { contents, names };
}

describe(writePersonalData.name, () => {
  it('writes a JSON file per record type, an empty one for a type without records, and files under files/', async () => {
    const { contents, names } = await write([
      { recordType: 'notes', record: { text: 'one' } },
      { recordType: 'notes', record: { text: 'two' } },
      { recordType: 'scans', file: { name: 'scan.pdf', open: () => Readable.from([Buffer.from('%PDF')]) } },
    ]);
    expect(names.sort()).toEqual(['files/scan.pdf', 'notes.json', 'tasks.json']);
    expect(contents.recordTypes).toEqual([
      expect.objectContaining({ name: 'notes', fileName: 'notes.json', count: 2 }),
      expect.objectContaining({ name: 'tasks', fileName: 'tasks.json', count: 0 }),
      expect.objectContaining({ name: 'scans', fileName: null, count: 1 }),
    ]);
    expect(contents.files).toEqual([{ recordType: 'scans', name: 'files/scan.pdf' }]);
  });

  it('refuses a record of a type its source did not declare', async () => {
    await expect(write([{ recordType: 'secrets', record: {} }])).rejects.toThrow(
      'example gave a record of undeclared type secrets',
    );
  });

  it('refuses the records of one type given apart, which would need two files of one name', async () => {
    await expect(
      write([
        { recordType: 'notes', record: {} },
        { recordType: 'tasks', record: {} },
        { recordType: 'notes', record: {} },
      ]),
    ).rejects.toThrow('example gave notes records apart');
  });
});
