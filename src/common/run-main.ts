import { Refusal } from 'src/common/refusal';
import { ConfigError } from 'src/config/app-config';

/** Starts an entry point; a configuration or rule error is one clear line and exit code 1, not a stack trace. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof Refusal) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
