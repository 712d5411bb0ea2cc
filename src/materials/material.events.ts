/** What the materials feature tells others, and itself. */
declare module 'src/events/domain-events' {
  interface DomainEvents {
    /** An uploaded edition became the one new holders receive; those who hold the material get it too. */
    'material.edition_current': { materialId: string; editionId: string; previousEditionId: string | null };
    /** Editions were licensed to someone (a place confirmed, or a new edition): they can download them now. */
    'material.available': { holderId: string; issueIds: string[] };
  }
}

export const MATERIAL_EVENTS = ['material.edition_current', 'material.available'] as const;
