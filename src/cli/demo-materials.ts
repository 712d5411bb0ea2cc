import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from 'src/common/request-context';
import { EventsService } from 'src/events/events.service';
import { MaterialDownloadsService } from 'src/materials/material-downloads.service';
import { MaterialsService } from 'src/materials/materials.service';
import { generateSampleMaterialPdf } from 'src/materials/sample-material-pdf';
import type { CreateMaterialDto } from 'src/materials/dto/material.dto';

// The three handbooks the seeds name (seeds/001 and DESIGN.md), each with a generated sample PDF: the
// platform never holds the licensed text itself in its repository.
const HANDBOOKS: Array<
  CreateMaterialDto & { editions: Array<[label: string, notes: string, pages: number]> }
> = [
  {
    code: 'RPH',
    title: 'Reflective Practice Handbook',
    kind: 'handbook',
    courseCodes: ['foundation'],
    audience: ['trainee'],
    editions: [
      ['2009 edition', 'Day and Davis (2009), as supplied with the Foundation course until this year.', 48],
      ['2026 revision', 'Updated prompts for practice contacts; the helping-process chapter reordered.', 52],
    ],
  },
  {
    code: 'FTM',
    title: 'Facilitators Training Manual',
    kind: 'manual',
    courseCodes: ['foundation'],
    audience: ['facilitator'],
    editions: [['Revised edition (2009)', 'Session plans for the ten Foundation sessions.', 120]],
  },
  {
    code: 'SUP',
    title: 'Supervision Handbook',
    kind: 'handbook',
    courseCodes: ['supervision'],
    audience: ['supervisor'],
    editions: [['1st edition', 'For supervisors of practitioners using the Model.', 36]],
  },
];

/** The catalogue, each with its first edition: the codes and ids. */
export async function seedCatalogue(
  app: INestApplicationContext,
  admin: AuthUser,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { editions, ...material } of HANDBOOKS) {
    const { id } = await app.get(MaterialsService).create(admin, material);
    ids.set(material.code, id);
    await addEdition(app, admin, material, id, editions[0]);
  }
  return ids;
}

/** The Reflective Practice Handbook's revision, which reaches everyone who holds the 2009 edition. */
export async function reviseHandbook(
  app: INestApplicationContext,
  admin: AuthUser,
  ids: Map<string, string>,
): Promise<void> {
  const [handbook] = HANDBOOKS;
  await addEdition(app, admin, handbook, ids.get(handbook.code)!, handbook.editions[1]);
}

async function addEdition(
  app: INestApplicationContext,
  admin: AuthUser,
  material: Pick<CreateMaterialDto, 'code' | 'title'>,
  materialId: string,
  [label, notes, pages]: [string, string, number],
): Promise<void> {
  const pdf = await generateSampleMaterialPdf({
    title: material.title,
    code: material.code,
    editionLabel: label,
    pages,
  });
  await app.get(MaterialsService).addEdition(admin, materialId, { label, notes }, Buffer.from(pdf));
}

// The events licences come from. Their other handlers (e-mails composed) run with them; the e-mails are sent
// by the worker once it runs, as every other demo e-mail is.
const LICENSING_EVENTS = [
  'enrolment.placed',
  'enrolment.promoted',
  'enrolment.withdrawn',
  'cohort.facilitators_assigned',
  'cohort.facilitator_removed',
  'cohort.status_changed',
  'material.edition_current',
];

/**
 * Delivers now, as the worker would once it starts, the events that licences come from, so that the demo's
 * downloads have licences to be made from.
 */
export async function deliverLicensingEvents(app: INestApplicationContext): Promise<void> {
  const events = app.get(EventsService);
  const waiting: Array<{ id: string }> = await app
    .get(DataSource)
    .query(
      `SELECT id FROM domain_events WHERE completed_at IS NULL AND name = ANY($1) ORDER BY occurred_at, id`,
      [LICENSING_EVENTS],
    );
  for (const { id } of waiting) await events.deliver(id, false);
}

/** Personalised copies downloaded, as the ledger and the licence report show them. */
export async function downloadCopies(
  app: INestApplicationContext,
  ids: Map<string, string>,
  downloads: Array<{ holder: AuthUser; code: string }>,
): Promise<void> {
  const copies = app.get(MaterialDownloadsService);
  for (const { holder, code } of downloads) {
    const { stream, recorded } = await copies.open(await copies.prepare(holder, ids.get(code)!));
    stream.resume();
    await recorded;
  }
}
