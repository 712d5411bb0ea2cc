// Open Badges 3.0 credential for a certificate, signed as a VC-JWT (OB 3.0 §8.2, JSON Web Token Proof Format).
// Pure functions: the certificates feature decides when to build, sign and serve them.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { CourseCode } from 'src/courses/course-code';

export interface CredentialInput {
  certificateId: string;
  serial: string;
  /** Null once removed at the holder's erasure. */
  holderName: string | null;
  /** A stable URN such as `urn:uuid:<user id>`: the credential's subject, and the JWT's `sub`. */
  holderId: string;
  courseCode: CourseCode;
  courseName: string;
  courseDescription: string;
  issuerName: string;
  /** The organisation's own page; the issuer's `id` is ours (issuerProfileUrl) so that we can serve it. */
  issuerUrl: string;
  appUrl: string;
  issuedAt: Date;
  expiresAt?: Date | null;
}

export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: { id: string; type: ['Profile']; name: string; url: string };
  validFrom: string;
  validUntil?: string;
  awardedDate: string;
  name: string;
  description: string;
  credentialSubject: {
    id: string;
    type: ['AchievementSubject'];
    identifier?: { type: 'IdentityObject'; identityType: 'name'; identityHash: string; hashed: false }[];
    achievement: {
      id: string;
      type: ['Achievement'];
      achievementType: 'Certificate';
      name: string;
      description: string;
      criteria: { narrative: string };
    };
  };
  credentialStatus: { id: string; type: '1EdTechRevocationList' };
  credentialSchema: { id: string; type: '1EdTechJsonSchemaValidator2019' }[];
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** `${jwksUrl}#<RFC 7638 thumbprint>`: a URI a verifier dereferences to the public JWK (OB 3.0 §8.2 `kid`). */
  kid: string;
  /** True when no PEM was configured and the key lives only as long as the process. */
  ephemeral: boolean;
}

export interface RevocationList {
  id: string;
  issuer: string;
  revokedCredentials: { id: string; revoked: true; revocationReason?: string }[];
}

const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
// Defines the 1EdTech terms the OB context leaves out: 1EdTechRevocationList and 1EdTechJsonSchemaValidator2019.
const OB_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
const OB_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const JWT_TYPE = 'vc+jwt';
const ALGORITHM = 'EdDSA';

const base = (appUrl: string) => appUrl.replace(/\/+$/, '');
export const credentialUrl = (appUrl: string, certificateId: string) =>
  `${base(appUrl)}/api/v1/certificates/${encodeURIComponent(certificateId)}/credential`;
export const revocationListUrl = (appUrl: string) => `${base(appUrl)}/api/v1/certificates/revocations`;
export const issuerProfileUrl = (appUrl: string) => `${base(appUrl)}/issuers/platform`;
export const jwksUrl = (appUrl: string) => `${base(appUrl)}/.well-known/jwks.json`;

// JWT NumericDate has whole seconds and OB 3.0 wants nbf to equal validFrom, so both drop the milliseconds.
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const isoSeconds = (date: Date) => new Date(seconds(date) * 1000).toISOString().replace('.000Z', 'Z');

export function buildOpenBadgeCredential(input: CredentialInput): OpenBadgeCredential {
  const appUrl = base(input.appUrl);
  const issuedAt = isoSeconds(input.issuedAt);
  return {
    '@context': [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT],
    id: credentialUrl(appUrl, input.certificateId),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuerProfileUrl(appUrl), type: ['Profile'], name: input.issuerName, url: input.issuerUrl },
    validFrom: issuedAt,
    ...(input.expiresAt ? { validUntil: isoSeconds(input.expiresAt) } : {}),
    awardedDate: issuedAt,
    name: `${input.courseName} certificate`,
    description: `Certificate ${input.serial}: ${input.holderName ?? 'its holder'} completed the ${input.courseName} course.`,
    credentialSubject: {
      id: input.holderId,
      type: ['AchievementSubject'],
      // AchievementSubject has no name property; OB 3.0 carries the recipient's name as an IdentityObject.
      // A certificate whose holder's name was removed at erasure names nobody.
      ...(input.holderName === null
        ? {}
        : {
            identifier: [
              { type: 'IdentityObject', identityType: 'name', identityHash: input.holderName, hashed: false },
            ],
          }),
      achievement: {
        id: `${appUrl}/achievements/${input.courseCode}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: input.courseName,
        description: input.courseDescription,
        criteria: {
          narrative:
            `Completed the ${input.courseName} course of the Family Partnership Model as its rules require: ` +
            'the sessions attended, the reflective practice logbook accepted and the competencies signed off ' +
            'by the course facilitators.',
        },
      },
    },
    // 1EdTech Revocation List Status Method: `id` is the list; a revoked certificate's credential id appears in it.
    credentialStatus: { id: revocationListUrl(appUrl), type: '1EdTechRevocationList' },
    credentialSchema: [{ id: OB_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

export function buildRevocationList(
  appUrl: string,
  revoked: { certificateId: string; reason?: string | null }[],
): RevocationList {
  return {
    id: revocationListUrl(appUrl),
    issuer: issuerProfileUrl(appUrl),
    revokedCredentials: revoked.map(({ certificateId, reason }) => ({
      id: credentialUrl(appUrl, certificateId),
      revoked: true,
      ...(reason ? { revocationReason: reason } : {}),
    })),
  };
}

// OB 3.0 §8.2: the payload is the credential with iss, jti, sub, nbf (and exp) copied from it.
export async function signCredential(
  credential: OpenBadgeCredential,
  key: { privateKey: KeyObject; kid: string },
): Promise<string> {
  const jwt = new SignJWT({ ...credential })
    .setProtectedHeader({ alg: ALGORITHM, typ: JWT_TYPE, kid: key.kid })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setSubject(credential.credentialSubject.id)
    .setNotBefore(seconds(new Date(credential.validFrom)));
  if (credential.validUntil) jwt.setExpirationTime(seconds(new Date(credential.validUntil)));
  return jwt.sign(key.privateKey);
}

export class CredentialVerificationError extends Error {}

// Checks the signature, the dates and that the JWT claims agree with the credential (OB 3.0 §8.2, verify).
// Revocation is not checked here: that needs the list at credentialStatus.id.
export async function verifyCredential(
  jwt: string,
  publicKey: KeyObject,
  options: { currentDate?: Date } = {},
): Promise<OpenBadgeCredential> {
  const { payload } = await jwtVerify(jwt, publicKey, {
    algorithms: [ALGORITHM],
    typ: JWT_TYPE,
    currentDate: options.currentDate,
  });
  const { iss, jti, sub, nbf, exp, ...rest } = payload;
  const credential = rest as unknown as OpenBadgeCredential;
  const agrees =
    Array.isArray(credential.type) &&
    credential.type.includes('OpenBadgeCredential') &&
    iss === credential.issuer?.id &&
    jti === credential.id &&
    sub === credential.credentialSubject?.id &&
    nbf === seconds(new Date(credential.validFrom)) &&
    exp === (credential.validUntil ? seconds(new Date(credential.validUntil)) : undefined);
  if (!agrees) throw new CredentialVerificationError('The JWT claims do not match the credential');
  return credential;
}

export async function publicJwks(keys: Pick<SigningKey, 'publicKey' | 'kid'>[]): Promise<{ keys: JWK[] }> {
  return {
    keys: await Promise.all(
      keys.map(async ({ publicKey, kid }) => {
        const { kty, crv, x } = await exportJWK(publicKey);
        return { kty, crv, x, kid, alg: ALGORITHM, use: 'sig' };
      }),
    ),
  };
}

// CERTIFICATE_SIGNING_KEY: an Ed25519 private key as PKCS#8 PEM. Without one, a key for this process only, so
// that a local run needs no configuration; credentials it signed stop verifying when the process ends.
export async function loadSigningKey(pem: string | undefined, appUrl: string): Promise<SigningKey> {
  const privateKey = pem?.trim()
    ? createPrivateKey(pem.replace(/\\n/g, '\n'))
    : generateKeyPairSync('ed25519').privateKey;
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `CERTIFICATE_SIGNING_KEY must be an Ed25519 private key, not ${privateKey.asymmetricKeyType}`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const thumbprint = await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
  return { privateKey, publicKey, kid: `${jwksUrl(appUrl)}#${thumbprint}`, ephemeral: !pem?.trim() };
}
