import { Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldErrors, fieldErrors, ValidationFailedException } from 'src/common/validation';

/**
 * The API takes some lists as a bare JSON array (`PUT .../workforce-baselines [{...}]`); the global pipe skips
 * arrays, so this validates each item as strictly as any other body. Errors are keyed `[index].field`.
 */
@Injectable()
export class ParseArrayBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T[]>> {
  constructor(
    private readonly itemType: new () => T,
    private readonly maxItems = 1000,
  ) {}

  async transform(body: unknown): Promise<T[]> {
    if (!Array.isArray(body))
      throw new ValidationFailedException({ body: ['the body must be a JSON array'] });
    if (body.length > this.maxItems) {
      throw new ValidationFailedException({ body: [`the body must list at most ${this.maxItems} items`] });
    }
    const errors: FieldErrors = {};
    const items: T[] = [];
    for (const [index, raw] of body.entries()) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        errors[`[${index}]`] = ['each item must be an object'];
        continue;
      }
      const item = plainToInstance(this.itemType, raw);
      Object.assign(
        errors,
        fieldErrors(await validate(item, { whitelist: true, forbidNonWhitelisted: true }), `[${index}]`),
      );
      items.push(item);
    }
    if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
    return items;
  }
}
