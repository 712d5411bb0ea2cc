import { fileSize } from 'src/common/file-size';
import { options } from 'src/common/form-options';
import { COURSE_CODES, COURSE_NAMES } from 'src/courses/course-code';
import type { MaterialEdition } from 'src/materials/material-edition.entity';
import {
  Material,
  MATERIAL_AUDIENCES,
  MATERIAL_KINDS,
  MaterialAudience,
  MaterialKind,
} from 'src/materials/material.entity';
import type { CatalogueEntry } from 'src/materials/materials.service';

export const KIND_LABELS: Record<MaterialKind, string> = {
  manual: 'Manual',
  handbook: 'Handbook',
  worksheet: 'Worksheet',
};

export const AUDIENCE_LABELS: Record<MaterialAudience, string> = {
  trainee: 'Trainees',
  facilitator: 'Facilitators',
  supervisor: 'Supervisors',
};

/** How many characters of a SHA-256 the tables show: enough to tell editions apart at a glance. */
const SHORT_HASH = 12;

/** What the catalogue and a material's page say about it. */
function materialSummary(material: Material) {
  return {
    id: material.id,
    code: material.code,
    title: material.title,
    kind: KIND_LABELS[material.kind],
    courses: material.courseCodes.map((code) => COURSE_NAMES[code]).join(', '),
    audience: material.audience.map((audience) => AUDIENCE_LABELS[audience]).join(', '),
  };
}

export function catalogueRowsView(entries: CatalogueEntry[]) {
  return entries.map(({ material, currentEdition, editionCount }) => ({
    ...materialSummary(material),
    currentEdition: currentEdition && { label: currentEdition.label, uploadedAt: currentEdition.uploadedAt },
    editionCount,
  }));
}

/** The add form's choices, with what a refused submission had ticked still ticked. */
export function materialFormOptions(values: Record<string, unknown>) {
  return {
    kindOptions: options(MATERIAL_KINDS, KIND_LABELS, values.kind),
    courseOptions: options(COURSE_CODES, COURSE_NAMES, values.courseCodes),
    audienceOptions: options(MATERIAL_AUDIENCES, AUDIENCE_LABELS, values.audience),
  };
}

/** A material's page: its details and every edition, newest first, each with who uploaded it. */
export function materialPageView(
  material: Material,
  editions: MaterialEdition[],
  uploaders: Map<string, { name: string }>,
) {
  return {
    ...materialSummary(material),
    editions: editions.map((edition) => ({
      label: edition.label,
      notes: edition.notes,
      current: edition.current,
      uploadedAt: edition.uploadedAt,
      uploadedBy: uploaders.get(edition.uploadedById)?.name ?? null,
      pages: `${edition.pageCount} ${edition.pageCount === 1 ? 'page' : 'pages'}`,
      size: fileSize(edition.sizeBytes),
      sha256: edition.sha256,
      sha256Short: edition.sha256.slice(0, SHORT_HASH),
    })),
  };
}

/** "2nd edition (2024) is now the current edition of RPH." */
export const editionAddedText = (edition: MaterialEdition, material: Pick<Material, 'code'>) =>
  `${edition.label} is now the current edition of ${material.code}.`;
