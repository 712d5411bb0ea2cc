/** Option lists for GOV.UK selects, radios and checkboxes, with the chosen ones marked. */
export interface FormOption {
  value: string;
  text: string;
  selected: boolean;
}

export function options<T extends string>(
  values: readonly T[],
  labels: Record<T, string> | ((value: T) => string),
  chosen: unknown,
): FormOption[] {
  const picked = new Set((Array.isArray(chosen) ? chosen : [chosen]).filter((v) => v != null).map(String));
  return values.map((value) => ({
    value,
    text: typeof labels === 'function' ? labels(value) : labels[value],
    selected: picked.has(value),
  }));
}

/** A form field's text, trimmed; anything else (a repeated field, nothing) is empty. */
export const formText = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** A checkbox group's ticked values. Groups post a hidden empty value so that unticking every box is still sent. */
export const formList = (value: unknown): string[] =>
  ([] as unknown[])
    .concat(value ?? [])
    .filter((item): item is string => typeof item === 'string' && item !== '');
