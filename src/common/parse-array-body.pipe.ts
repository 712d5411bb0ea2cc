import { Injectable, PipeTransform } from '@nestjs/common';
import { checkInput, FieldErrors, ValidationFailedException } from 'src/common/validation';

/**
 * The API takes some lists as a bare JSON array (`PUT .../workforce-baselines [{...}]`); the global pipe validates
 * only objects, so this validates each item as strictly as any other body. Errors are keyed `[index].field`.
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
      const { value, errors: itemErrors } = await checkInput(this.itemType, raw, 'json');
      for (const [field, messages] of Object.entries(itemErrors ?? {})) {
        errors[field === 'body' ? `[${index}]` : `[${index}].${field}`] =
          field === 'body' ? ['each item must be an object'] : messages;
      }
      items.push(value);
    }
    if (Object.keys(errors).length > 0) throw new ValidationFailedException(errors);
    return items;
  }
}
