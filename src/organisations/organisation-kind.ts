export const ORGANISATION_KINDS = ['local_authority', 'nhs_trust', 'voluntary', 'school', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  local_authority: 'Local authority',
  nhs_trust: 'NHS trust',
  voluntary: 'Voluntary or community organisation',
  school: 'School or academy trust',
  other: 'Other',
};
