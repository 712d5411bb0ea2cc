import { Injectable } from '@nestjs/common';
import type { ProgressFactProvider } from 'src/courses/progress-fact.provider';
import type { ProgressFactKey } from 'src/courses/progress-facts';

/** Features register the facts they supply here; one provider per fact, or the app refuses to start. */
@Injectable()
export class ProgressFactRegistry {
  private readonly providers = new Map<ProgressFactKey, ProgressFactProvider>();

  register(provider: ProgressFactProvider): void {
    if (this.providers.has(provider.fact)) {
      throw new Error(`Two progress fact providers registered for ${provider.fact}`);
    }
    this.providers.set(provider.fact, provider);
  }

  supplies(fact: ProgressFactKey): boolean {
    return this.providers.has(fact);
  }

  all(): ProgressFactProvider[] {
    return [...this.providers.values()];
  }
}
