import {
  groupByCompetencyGroup,
  orderTrail,
  TrailRecord,
  trailState,
  unacceptedEvidence,
} from 'src/competencies/sign-off-trail';

const record = (id: string, supersedesId: string | null, outcome: TrailRecord['outcome'] = 'met') => ({
  id,
  supersedesId,
  outcome,
});

describe(orderTrail.name, () => {
  it('orders a trail newest first by what each record supersedes, whatever order the rows came in', () => {
    const trail = [record('b', 'a', 'met'), record('c', 'b', 'revoked'), record('a', null, 'not_yet')];
    expect(orderTrail(trail).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(trailState(orderTrail(trail))).toBe('revoked');
  });

  it('gives no records and the state none before the first sign-off', () => {
    expect(orderTrail([])).toEqual([]);
    expect(trailState([])).toBe('none');
  });

  it('refuses a fork: two records superseding the same one leave two current records', () => {
    expect(() => orderTrail([record('a', null), record('b', 'a'), record('c', 'a')])).toThrow(
      'A sign-off trail has 2 current records',
    );
  });

  it('refuses two trails in one, and records that the current one never leads to', () => {
    const twoTrails = [record('a', null), record('b', 'a'), record('x', null), record('y', 'x')];
    expect(() => orderTrail(twoTrails)).toThrow('A sign-off trail has 2 current records');
    const detachedLoop = [record('a', null), record('b', 'a'), record('c', 'd'), record('d', 'c')];
    expect(() => orderTrail(detachedLoop)).toThrow('A sign-off trail is broken');
  });
});

describe(unacceptedEvidence.name, () => {
  it('names the asked-for entries the logbook did not confirm, in the order asked', () => {
    expect(unacceptedEvidence(['x', 'a', 'y', 'b'], ['b', 'a'])).toEqual(['x', 'y']);
    expect(unacceptedEvidence(['a'], ['a'])).toEqual([]);
  });
});

describe(groupByCompetencyGroup.name, () => {
  it('lists groups in framework order and items by position, leaving out empty groups', () => {
    const items = [
      { code: 'skill-2', group: 'helper_skills' as const, position: 8 },
      { code: 'quality-1', group: 'helper_qualities' as const, position: 1 },
      { code: 'skill-1', group: 'helper_skills' as const, position: 7 },
    ];
    expect(
      groupByCompetencyGroup(items).map(({ group, items: inGroup }) => [group, inGroup.map((i) => i.code)]),
    ).toEqual([
      ['helper_qualities', ['quality-1']],
      ['helper_skills', ['skill-1', 'skill-2']],
    ]);
  });
});
