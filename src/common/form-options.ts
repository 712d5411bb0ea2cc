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
