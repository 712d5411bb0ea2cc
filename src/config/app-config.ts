import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const DEVELOPMENT_SESSION_SECRET = 'local-development-secret-change-me-in-production';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/** Every environment variable the platform reads. Defaults reach PostgreSQL, Redis and SMTP on localhost. */
export class EnvironmentVariables {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/fpm';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_:-]{1,40}$/, { message: 'REDIS_PREFIX must be 1-40 letters, digits, _ : or -' })
  REDIS_PREFIX = 'fpm';

  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'APP_URL must be an http(s) URL' },
  )
  APP_URL = 'http://localhost:3000';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number from 1 to 65535' })
  @Min(1, { message: 'PORT must be a whole number from 1 to 65535' })
  @Max(65535, { message: 'PORT must be a whole number from 1 to 65535' })
  PORT = 3000;

  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET = DEVELOPMENT_SESSION_SECRET;

  @IsString()
  @MinLength(1, { message: 'STORAGE_DIR must name a directory' })
  STORAGE_DIR = './storage';

  /** Ed25519 private key (PKCS#8 PEM) that signs certificates' Open Badges credentials; required in production. */
  @IsString()
  CERTIFICATE_SIGNING_KEY = '';

  @Matches(/^(.+<[^@\s]+@[^@\s]+>|[^@\s]+@[^@\s]+)$/, {
    message: 'MAIL_FROM must be an address, e.g. "FPM Training <noreply@example.org>"',
  })
  MAIL_FROM = 'FPM Training <noreply@fpm.localhost>';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toInt)
  @IsInt({ message: 'SESSION_TTL_MINUTES must be a whole number of at least 5' })
  @Min(5, { message: 'SESSION_TTL_MINUTES must be a whole number of at least 5' })
  SESSION_TTL_MINUTES = 480;

  @Transform(toInt)
  @IsInt({ message: 'LOGIN_SLOWDOWN_MS must be a whole number of 0 or more' })
  @Min(0, { message: 'LOGIN_SLOWDOWN_MS must be a whole number of 0 or more' })
  LOGIN_SLOWDOWN_MS = 500;

  @Transform(toInt)
  @IsInt({ message: 'MAIL_RETRY_DELAY_MS must be a whole number of 1 or more' })
  @Min(1, { message: 'MAIL_RETRY_DELAY_MS must be a whole number of 1 or more' })
  MAIL_RETRY_DELAY_MS = 5_000;

  @Transform(toInt)
  @IsInt({ message: 'JOB_LOCK_MS must be a whole number of 1000 or more' })
  @Min(1000, { message: 'JOB_LOCK_MS must be a whole number of 1000 or more' })
  JOB_LOCK_MS = 30_000;

  @Transform(toInt)
  @IsInt({ message: 'SWEEP_INTERVAL_MS must be a whole number of 1000 or more' })
  @Min(1000, { message: 'SWEEP_INTERVAL_MS must be a whole number of 1000 or more' })
  SWEEP_INTERVAL_MS = 60_000;

  @Transform(toInt)
  @IsInt({ message: 'RENDER_THREADS must be a whole number from 1 to 16' })
  @Max(16, { message: 'RENDER_THREADS must be a whole number from 1 to 16' })
  @Min(1, { message: 'RENDER_THREADS must be a whole number from 1 to 16' })
  RENDER_THREADS = 2;

  @Transform(toInt)
  @IsInt({ message: 'MATERIAL_MAX_BYTES must be a whole number of bytes, 1048576 (1 MB) or more' })
  @Min(1_048_576, { message: 'MATERIAL_MAX_BYTES must be a whole number of bytes, 1048576 (1 MB) or more' })
  MATERIAL_MAX_BYTES = 200 * 1024 * 1024;

  @Transform(toInt)
  @IsInt({ message: 'SUPPRESSION_THRESHOLD must be a whole number from 3 to 100' })
  @Min(3, { message: 'SUPPRESSION_THRESHOLD must be a whole number from 3 to 100' })
  @Max(100, { message: 'SUPPRESSION_THRESHOLD must be a whole number from 3 to 100' })
  SUPPRESSION_THRESHOLD = 5;

  @Transform(toInt)
  @IsInt({ message: 'COVERAGE_REFRESH_DELAY_MS must be a whole number from 100 to 3600000' })
  @Min(100, { message: 'COVERAGE_REFRESH_DELAY_MS must be a whole number from 100 to 3600000' })
  @Max(3_600_000, { message: 'COVERAGE_REFRESH_DELAY_MS must be a whole number from 100 to 3600000' })
  COVERAGE_REFRESH_DELAY_MS = 30_000;

  @Transform(toInt)
  @IsInt({ message: 'REMINDER_LEAD_HOURS must be a whole number of hours from 1 to 336' })
  @Min(1, { message: 'REMINDER_LEAD_HOURS must be a whole number of hours from 1 to 336' })
  @Max(336, { message: 'REMINDER_LEAD_HOURS must be a whole number of hours from 1 to 336' })
  REMINDER_LEAD_HOURS = 48;

  /** Sign-in attempts a minute from one address for one e-mail address, before the sign-in throttle. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_SIGN_IN must be a whole number of requests a minute from 1 to 100000' })
  @Min(1, { message: 'RATE_LIMIT_SIGN_IN must be a whole number of requests a minute from 1 to 100000' })
  @Max(100_000, {
    message: 'RATE_LIMIT_SIGN_IN must be a whole number of requests a minute from 1 to 100000',
  })
  RATE_LIMIT_SIGN_IN = 10;

  /** Password-reset requests and confirmations and invitation acceptances a minute from one address. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_ACCOUNT_LINKS must be a whole number of requests a minute from 1 to 100000' })
  @Min(1, {
    message: 'RATE_LIMIT_ACCOUNT_LINKS must be a whole number of requests a minute from 1 to 100000',
  })
  @Max(100_000, {
    message: 'RATE_LIMIT_ACCOUNT_LINKS must be a whole number of requests a minute from 1 to 100000',
  })
  RATE_LIMIT_ACCOUNT_LINKS = 20;

  /** Requests a minute from one address for the sign-in, password-reset and invitation pages. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_ACCOUNT_PAGES must be a whole number of requests a minute from 1 to 100000' })
  @Min(1, {
    message: 'RATE_LIMIT_ACCOUNT_PAGES must be a whole number of requests a minute from 1 to 100000',
  })
  @Max(100_000, {
    message: 'RATE_LIMIT_ACCOUNT_PAGES must be a whole number of requests a minute from 1 to 100000',
  })
  RATE_LIMIT_ACCOUNT_PAGES = 300;

  /** Requests a minute from one address to certificate verification, and apart to /health; and to each calendar feed. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_PUBLIC must be a whole number of requests a minute from 1 to 100000' })
  @Min(1, { message: 'RATE_LIMIT_PUBLIC must be a whole number of requests a minute from 1 to 100000' })
  @Max(100_000, { message: 'RATE_LIMIT_PUBLIC must be a whole number of requests a minute from 1 to 100000' })
  RATE_LIMIT_PUBLIC = 60;

  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({
    message: 'TRUST_PROXY must be true or false (true behind a load balancer that sets X-Forwarded-For)',
  })
  TRUST_PROXY = false;

  @IsIn(['production', 'development', 'test'], {
    message: 'NODE_ENV must be production, development or test',
  })
  NODE_ENV: 'production' | 'development' | 'test' = 'development';
}

export type AppConfig = Readonly<EnvironmentVariables> & { readonly secureCookies: boolean };

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(EnvironmentVariables, defined, { excludeExtraneousValues: false });
  const known = new Set(Object.keys(new EnvironmentVariables()));
  for (const key of Object.keys(config))
    if (!known.has(key)) delete (config as unknown as Record<string, unknown>)[key];
  const errors = validateSync(config, { stopAtFirstError: true });
  if (errors.length > 0) {
    const first = errors[0];
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Configuration error: ${message} (got ${JSON.stringify(env[first.property])})`);
  }
  if (config.NODE_ENV === 'production' && config.SESSION_SECRET === DEVELOPMENT_SESSION_SECRET) {
    throw new ConfigError(
      'Configuration error: SESSION_SECRET must be set to your own secret when NODE_ENV=production',
    );
  }
  if (config.NODE_ENV === 'production' && !config.CERTIFICATE_SIGNING_KEY) {
    throw new ConfigError(
      'Configuration error: CERTIFICATE_SIGNING_KEY must hold an Ed25519 private key (openssl genpkey -algorithm ed25519) when NODE_ENV=production',
    );
  }
  return Object.freeze({ ...config, secureCookies: config.APP_URL.startsWith('https://') });
}

export const APP_CONFIG = Symbol('APP_CONFIG');
