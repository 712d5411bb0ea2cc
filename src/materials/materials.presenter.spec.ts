import type { MaterialEdition } from 'src/materials/material-edition.entity';
import type { Material } from 'src/materials/material.entity';
import {
  catalogueRowsView,
  editionAddedText,
  materialFormOptions,
  materialPageView,
} from 'src/materials/materials.presenter';

const material = {
  id: 'm1',
  code: 'RPH',
  title: 'Reflective Practice Handbook',
  kind: 'handbook',
  courseCodes: ['foundation', 'supervision'],
  audience: ['trainee', 'supervisor'],
} as Material;

const edition = (overrides: Partial<MaterialEdition>): MaterialEdition => ({
  id: 'e1',
  materialId: 'm1',
  label: '1st edition (2009)',
  notes: '',
  sha256: 'ab'.repeat(32),
  sizeBytes: 840_000,
  pageCount: 120,
  current: true,
  uploadedById: 'u1',
  uploadedAt: new Date('2026-11-20T10:00:00Z'),
  ...overrides,
});

describe(catalogueRowsView.name, () => {
  it('names the kind, courses and audience, and the current edition if there is one', () => {
    const [withEdition, without] = catalogueRowsView([
      { material, currentEdition: edition({}), editionCount: 2 },
      { material: { ...material, id: 'm2', kind: 'worksheet' }, currentEdition: null, editionCount: 0 },
    ]);
    expect(withEdition).toMatchObject({
      kind: 'Handbook',
      courses: 'Foundation, Supervision',
      audience: 'Trainees, Supervisors',
      currentEdition: { label: '1st edition (2009)' },
      editionCount: 2,
    });
    expect(without).toMatchObject({ kind: 'Worksheet', currentEdition: null, editionCount: 0 });
  });
});

describe(materialFormOptions.name, () => {
  it('keeps ticked what a refused form had ticked, whether one box or several', () => {
    const view = materialFormOptions({
      kind: 'manual',
      courseCodes: 'facilitator',
      audience: ['trainee', 'facilitator'],
    });
    const ticked = (options: Array<{ value: string; selected: boolean }>) =>
      options.filter((option) => option.selected).map((option) => option.value);
    expect(ticked(view.kindOptions)).toEqual(['manual']);
    expect(ticked(view.courseOptions)).toEqual(['facilitator']);
    expect(ticked(view.audienceOptions)).toEqual(['trainee', 'facilitator']);
    expect(ticked(materialFormOptions({}).courseOptions)).toEqual([]);
  });
});

describe(materialPageView.name, () => {
  it('shows each edition’s pages, size, shortened hash and who uploaded it', () => {
    const view = materialPageView(
      material,
      [
        edition({ label: '2nd edition (2024)', pageCount: 1, sizeBytes: 3 * 1024 * 1024 }),
        edition({ current: false, uploadedById: 'gone' }),
      ],
      new Map([['u1', { name: 'Ada Admin' }]]),
    );
    expect(view.editions[0]).toMatchObject({
      label: '2nd edition (2024)',
      pages: '1 page',
      size: '3 MB',
      sha256Short: 'abababababab',
      sha256: 'ab'.repeat(32),
      uploadedBy: 'Ada Admin',
      current: true,
    });
    expect(view.editions[1]).toMatchObject({
      pages: '120 pages',
      size: '820 KB',
      uploadedBy: null,
      current: false,
    });
  });
});

describe(editionAddedText.name, () => {
  it('says which edition is now current, and of what', () => {
    expect(editionAddedText(edition({ label: '2nd edition (2024)' }), material)).toBe(
      '2nd edition (2024) is now the current edition of RPH.',
    );
  });
});
