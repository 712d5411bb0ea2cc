import { ConfigError, loadConfig } from 'src/config/app-config';

describe(loadConfig.name, () => {
  it('reaches PostgreSQL, Redis and SMTP on localhost when nothing is set', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/fpm');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.secureCookies).toBe(false);
  });

  it('reads numbers and switches on secure cookies for an https APP_URL', () => {
    const config = loadConfig({ PORT: '8080', APP_URL: 'https://fpm.example.org', TRUST_PROXY: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'Configuration error: PORT must be a whole number from 1 to 65535 (got "eighty")'],
    [
      { DATABASE_URL: 'mysql://x' },
      'Configuration error: DATABASE_URL must be a postgres:// URL (got "mysql://x")',
    ],
    [
      { REDIS_URL: 'localhost:6379' },
      'Configuration error: REDIS_URL must be a redis:// URL (got "localhost:6379")',
    ],
    [
      { SESSION_SECRET: 'short' },
      'Configuration error: SESSION_SECRET must be at least 32 characters (got "short")',
    ],
    [{ TRUST_PROXY: 'yes' }, expect.stringContaining('TRUST_PROXY must be true or false')],
  ])('stops with one line naming the variable for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toEqual(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('refuses production without a key to sign certificates’ credentials', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-at-least-32-characters' }),
    ).toThrow('CERTIFICATE_SIGNING_KEY must hold an Ed25519 private key');
  });

  it('refuses the development session secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'SESSION_SECRET must be set to your own secret when NODE_ENV=production',
    );
  });
});
