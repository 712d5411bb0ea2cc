export const ORGANISATION_KINDS = ['local_authority', 'nhs_trust', 'voluntary', 'school', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  local_authority: 'Local authority',
  nhs_trust: 'NHS trust',
  voluntary: 'Voluntary or community organisation',
  school: 'School or academy trust',
  other: 'Other',
};

/** Whether the certificates an organisation issued keep their holder's name after the holder's data is erased. */
export const CERTIFICATE_NAME_POLICIES = ['remove', 'keep'] as const;
export type CertificateNamePolicy = (typeof CERTIFICATE_NAME_POLICIES)[number];

export const CERTIFICATE_NAME_POLICY_LABELS: Record<CertificateNamePolicy, string> = {
  remove: 'Remove the name: the certificate verifies by its course and date alone',
  keep: 'Keep the name on the certificate and its verification page',
};
