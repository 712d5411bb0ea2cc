import { parse } from 'csv-parse/sync';
import { CoverageTable } from 'src/reports/coverage-table';
import { renderCoverageRows } from 'src/reports/coverage-rows';
import { suppress } from 'src/reports/suppression';

describe('renderCoverageRows', () => {
  const areas = [{ id: 'area-1', code: 'E09000901', name: 'Bryn Mawr, Pen-y-Bont', region: 'London' }];
  const professions = ['childrens_centre_worker', 'social_worker'];
  const table = new CoverageTable(areas, professions);
  table.add(
    { measure: 'certified', courseCode: 'foundation', onDate: null },
    [
      { areaId: 'area-1', profession: 'childrens_centre_worker', value: 8 },
      { areaId: 'area-1', profession: 'social_worker', value: 12 },
    ],
    { related: true },
  );
  table.add(
    { measure: 'certified_at', courseCode: 'foundation', onDate: '2026-09-30' },
    [{ areaId: 'area-1', profession: 'social_worker', value: 6 }],
    { related: true },
  );
  table.add(
    { measure: 'headcount', courseCode: null, onDate: null },
    [{ areaId: 'area-1', profession: 'social_worker', value: 40 }],
    { related: false },
  );
  const rows = renderCoverageRows({
    cells: table.cells,
    suppression: table.cells.map(() => null),
    threshold: 5,
    areas,
    professions,
    quarterEnds: ['2026-06-30', '2026-09-30'],
    quarterStarts: ['2027-01-01'],
    numbersAsOf: new Date('2026-12-01T09:30:00Z'),
  });
  const englandFoundation = rows.find(
    (row) => row.level === 'england' && row.courseCode === 'foundation' && row.profession === null,
  )!;

  it('makes a row for every place, course and profession, in the order reports list them', () => {
    // One area, its region and England; three courses; all professions and each of two.
    expect(rows).toHaveLength(3 * 3 * 3);
    expect(rows.map((row) => row.position)).toEqual(rows.map((_, at) => at));
    expect(rows.slice(0, 3).map((row) => row.profession)).toEqual([
      null,
      'childrens_centre_worker',
      'social_worker',
    ]);
  });

  it('gives JSON that reads back as the figures, every character beyond ASCII escaped', () => {
    const row = JSON.parse(englandFoundation.jsonWhole);
    expect(row).toMatchObject({
      level: 'england',
      name: 'England',
      certified: { count: 20, shown: '20', withheld: false },
      headcount: 40,
      coverageShown: '50.0%',
      trend: [
        { quarterEnd: '2026-06-30', certified: { count: 0, shown: '0', withheld: false } },
        { quarterEnd: '2026-09-30', certified: { count: 6, shown: '6', withheld: false } },
      ],
      upcomingPlaces: [{ quarterStart: '2027-01-01', places: 0 }],
    });
    const breakdown = JSON.parse(`[${englandFoundation.jsonBreakdown}]`);
    expect(breakdown.map((r: { professionName: string }) => r.professionName)).toEqual([
      'Children’s centre worker',
      'Social worker',
    ]);
    expect(breakdown.every((r: { trend: unknown[] }) => r.trend.length === 0)).toBe(true);
    expect(englandFoundation.jsonBreakdown).toContain('Children\\u2019s');
    for (const row of rows) {
      expect(row.jsonWhole).toMatch(/^[\x20-\x7e]*$/);
      expect(row.jsonHead + row.jsonTrend.join(',') + row.jsonTail).toBe(row.jsonWhole);
    }
  });

  it('gives CSV lines with the names as they are, quoted where Excel needs it, all as wide', () => {
    const area = rows.find(
      (row) => row.level === 'area' && row.courseCode === 'foundation' && !row.profession,
    )!;
    const lines: string[][] = parse([area.csvWhole, area.csvBreakdown].join('\r\n'), {});
    expect(lines[0]).toEqual([
      'area',
      'London',
      'E09000901',
      'Bryn Mawr, Pen-y-Bont',
      'Foundation',
      'All professions',
      '20',
      '0',
      '40',
      '50.0',
      '0',
      '6',
      '0',
      '2026-12-01T09:30:00.000Z',
    ]);
    expect(lines[1].slice(5, 12)).toEqual(['Children’s centre worker', '8', '0', '0', '', '', '']);
    expect(lines.map((line) => line.length)).toEqual([14, 14, 14]);
    expect(area.csvWhole).toContain('"Bryn Mawr, Pen-y-Bont"');
    expect(area.csvHead + area.csvTrend.join('') + area.csvTail).toBe(area.csvWhole);
  });

  it('makes the rows of a new installation, where nobody is counted yet', () => {
    const empty = new CoverageTable(areas, []);
    empty.add({ measure: 'certified', courseCode: 'foundation', onDate: null }, [], { related: true });
    const withheld = suppress(
      empty.cells.map((cell) => cell.value),
      empty.relations,
      5,
    );
    const made = renderCoverageRows({
      cells: empty.cells,
      suppression: withheld,
      threshold: 5,
      areas,
      professions: [],
      quarterEnds: [],
      quarterStarts: [],
      numbersAsOf: new Date('2026-12-01T09:30:00Z'),
    });
    expect(made).toHaveLength(3 * 3);
    expect(JSON.parse(made[0].jsonWhole)).toMatchObject({
      certified: { shown: '0' },
      coverageShown: 'no baseline',
    });
    expect(made[0].jsonBreakdown).toBe('');
  });
});
