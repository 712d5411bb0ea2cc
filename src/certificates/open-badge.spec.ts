import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import {
  buildOpenBadgeCredential,
  buildRevocationList,
  type CredentialInput,
  loadSigningKey,
  publicJwks,
  signCredential,
  verifyCredential,
} from 'src/certificates/open-badge';

const APP_URL = 'https://fpm.example.org';
const input: CredentialInput = {
  certificateId: '6f1c2a9e-8d3b-4c55-9a1e-2b7f0e4d9c31',
  serial: 'FPM-F-2025-000042',
  holderName: 'Amara Okafor',
  holderId: 'urn:uuid:0b5e6c2d-4f1a-4e8b-9c3d-7a2e1f0b6d54',
  courseCode: 'foundation',
  courseName: 'FPM Foundation',
  courseDescription:
    'The Family Partnership Model for practitioners: the helping process, helper qualities and skills.',
  issuerName: 'Centre for Parent and Child Support',
  issuerUrl: 'https://www.cpcs.org.uk',
  appUrl: APP_URL,
  issuedAt: new Date('2025-06-01T10:00:00.123Z'),
  expiresAt: new Date('2028-06-01T10:00:00Z'),
};
const DURING = new Date('2026-01-01T00:00:00Z');

// Ed25519 signature check by Node's own crypto over the JWS signing input, without jose.
function nodeVerifies(jwt: string, publicKey = signing.publicKey): boolean {
  const [header, payload, signature] = jwt.split('.');
  return verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
}

function changeOneByte(segment: string, at: number): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[at] ^= 0x01;
  return bytes.toString('base64url');
}

let signing: Awaited<ReturnType<typeof loadSigningKey>>;
beforeAll(async () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  signing = await loadSigningKey(pem, APP_URL);
});

describe(buildOpenBadgeCredential.name, () => {
  it('holds the fields Open Badges 3.0 requires of an OpenBadgeCredential', () => {
    const credential = buildOpenBadgeCredential(input);

    expect(credential['@context'].slice(0, 2)).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.id).toBe(`${APP_URL}/api/v1/certificates/${input.certificateId}/credential`);
    expect(credential.issuer).toEqual({
      id: `${APP_URL}/issuers/platform`,
      type: ['Profile'],
      name: 'Centre for Parent and Child Support',
      url: 'https://www.cpcs.org.uk',
    });
    expect(credential.validFrom).toBe('2025-06-01T10:00:00Z');
    expect(credential.validUntil).toBe('2028-06-01T10:00:00Z');
    expect(credential.name).toBe('FPM Foundation certificate');
    expect(credential.description).toContain('FPM-F-2025-000042');
    expect(credential.credentialSubject).toMatchObject({
      id: input.holderId,
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityType: 'name', identityHash: 'Amara Okafor', hashed: false },
      ],
      achievement: {
        id: `${APP_URL}/achievements/foundation`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: 'FPM Foundation',
        description: input.courseDescription,
        criteria: { narrative: expect.stringContaining('FPM Foundation') },
      },
    });
    expect(credential.credentialStatus).toEqual({
      id: `${APP_URL}/api/v1/certificates/revocations`,
      type: '1EdTechRevocationList',
    });
  });

  it('leaves out validUntil when the certificate does not expire', () => {
    expect(buildOpenBadgeCredential({ ...input, expiresAt: null })).not.toHaveProperty('validUntil');
  });

  it('names nobody once the holder’s name was removed at their erasure', () => {
    const credential = buildOpenBadgeCredential({ ...input, holderName: null });
    expect(credential.credentialSubject).not.toHaveProperty('identifier');
    expect(credential.description).toBe(
      `Certificate ${input.serial}: its holder completed the ${input.courseName} course.`,
    );
    expect(JSON.stringify(credential)).not.toContain('Amara');
  });
});

describe(buildRevocationList.name, () => {
  it('lists a revoked certificate by the id its credential carries, at the address its status names', () => {
    const credential = buildOpenBadgeCredential(input);
    const list = buildRevocationList(APP_URL, [
      { certificateId: input.certificateId, reason: 'Issued in error' },
    ]);

    expect(list.id).toBe(credential.credentialStatus.id);
    expect(list.issuer).toBe(credential.issuer.id);
    expect(list.revokedCredentials).toEqual([
      { id: credential.id, revoked: true, revocationReason: 'Issued in error' },
    ]);
  });
});

describe(signCredential.name, () => {
  it('makes a VC-JWT whose header and claims follow the OB 3.0 JSON Web Token Proof Format', async () => {
    const credential = buildOpenBadgeCredential(input);
    const jwt = await signCredential(credential, signing);

    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: signing.kid });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
    expect(payload).toMatchObject({
      ...credential,
      iss: credential.issuer.id,
      jti: credential.id,
      sub: input.holderId,
      nbf: Date.parse('2025-06-01T10:00:00Z') / 1000,
      exp: Date.parse('2028-06-01T10:00:00Z') / 1000,
    });
  });

  it('signs so that Node crypto verifies the Ed25519 signature, and not once one byte changes', async () => {
    const jwt = await signCredential(buildOpenBadgeCredential(input), signing);
    const [header, payload, signature] = jwt.split('.');

    expect(nodeVerifies(jwt)).toBe(true);
    expect(nodeVerifies([header, changeOneByte(payload, 40), signature].join('.'))).toBe(false);
    expect(nodeVerifies([header, payload, changeOneByte(signature, 0)].join('.'))).toBe(false);
    expect(nodeVerifies(jwt, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });
});

describe(verifyCredential.name, () => {
  it('returns the credential of a token signed with the key', async () => {
    const credential = buildOpenBadgeCredential(input);
    const jwt = await signCredential(credential, signing);

    await expect(verifyCredential(jwt, signing.publicKey, { currentDate: DURING })).resolves.toEqual(
      credential,
    );
  });

  it('refuses a token whose payload or signature changed by one byte', async () => {
    const [header, payload, signature] = (
      await signCredential(buildOpenBadgeCredential(input), signing)
    ).split('.');

    for (const jwt of [
      [header, changeOneByte(payload, 40), signature].join('.'),
      [header, payload, changeOneByte(signature, 0)].join('.'),
    ]) {
      await expect(verifyCredential(jwt, signing.publicKey, { currentDate: DURING })).rejects.toThrow();
    }
  });

  it('refuses a certificate after it expires', async () => {
    const jwt = await signCredential(buildOpenBadgeCredential(input), signing);

    await expect(
      verifyCredential(jwt, signing.publicKey, { currentDate: new Date('2028-06-02T00:00:00Z') }),
    ).rejects.toThrow(/exp/);
  });

  it('refuses a token whose sub names someone other than the credential subject', async () => {
    const credential = buildOpenBadgeCredential(input);
    const token = await new SignJWT({ ...credential })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: signing.kid })
      .setIssuer(credential.issuer.id)
      .setJti(credential.id)
      .setSubject('urn:uuid:someone-else')
      .setNotBefore(new Date(credential.validFrom))
      .setExpirationTime(new Date(credential.validUntil!))
      .sign(signing.privateKey);

    await expect(verifyCredential(token, signing.publicKey, { currentDate: DURING })).rejects.toThrow(
      'The JWT claims do not match the credential',
    );
  });
});

describe(loadSigningKey.name, () => {
  it('gives the same kid, a JWK thumbprint under the JWKS address, for the same key', async () => {
    const pem = signing.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const again = await loadSigningKey(pem, APP_URL);

    expect(again.kid).toBe(signing.kid);
    expect(signing.kid).toMatch(/^https:\/\/fpm\.example\.org\/\.well-known\/jwks\.json#[A-Za-z0-9_-]{43}$/);
    expect(again.ephemeral).toBe(false);
  });

  it('reads a PEM whose line breaks an environment variable holds as \\n', async () => {
    const pem = signing.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().replace(/\n/g, '\\n');

    await expect(loadSigningKey(pem, APP_URL)).resolves.toMatchObject({ kid: signing.kid });
  });

  it('makes a key for this process only when none is configured', async () => {
    const key = await loadSigningKey(undefined, APP_URL);

    expect(key.ephemeral).toBe(true);
    expect(key.kid).not.toBe(signing.kid);
  });

  it('refuses a key that is not Ed25519', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();

    await expect(loadSigningKey(pem, APP_URL)).rejects.toThrow('must be an Ed25519 private key, not ec');
  });
});

describe(publicJwks.name, () => {
  it('publishes a public JWK, without the private part, that verifies the token it names', async () => {
    const jwks = await publicJwks([signing]);
    const jwt = await signCredential(buildOpenBadgeCredential(input), signing);

    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: signing.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    // jose picks the key by the token's kid from the published set.
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { currentDate: DURING });
    expect(payload.jti).toBe(`${APP_URL}/api/v1/certificates/${input.certificateId}/credential`);
    // Node imports the same published JWK and verifies the signature on its own.
    expect(nodeVerifies(jwt, createPublicKey({ key: jwks.keys[0], format: 'jwk' }))).toBe(true);
  });
});
