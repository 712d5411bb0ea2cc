import { Injectable } from '@nestjs/common';
import type { PersonalDataSource } from 'src/privacy/personal-data';

/** Every feature that holds personal data registers its source here when its module starts. */
@Injectable()
export class PersonalDataRegistry {
  private readonly sources: PersonalDataSource[] = [];

  register(source: PersonalDataSource): void {
    const taken = new Set(this.sources.flatMap((other) => other.recordTypes.map((type) => type.name)));
    if (this.sources.some((other) => other.name === source.name))
      throw new Error(`Two personal data sources named ${source.name}`);
    for (const type of source.recordTypes)
      if (taken.has(type.name))
        throw new Error(`Two personal data sources hold the record type ${type.name}`);
    this.sources.push(source);
  }

  all(): readonly PersonalDataSource[] {
    return this.sources;
  }
}
