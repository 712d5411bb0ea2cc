import { londonDay, londonMoment } from 'src/common/london-date';
import type { FieldErrors } from 'src/common/validation';
import type { RetentionAction } from 'src/privacy/retention';
import type { RetentionDue, RetentionPolicyView, RetentionRunResult } from 'src/privacy/retention.service';

const ACTION_LABELS: Record<RetentionAction | 'keep', string> = {
  delete: 'Deleted',
  anonymise: 'Anonymised',
  keep: 'Kept',
};

/** The form's field for a record type's period. */
export const keepMonthsField = (recordType: string) => `keepMonths_${recordType}`;

const months = (count: number) => (count === 1 ? '1 month' : `${count} months`);

/** The retention page: a field per record type with a period, the types kept without one, the dry run, the last run. */
export function retentionPage(
  policies: RetentionPolicyView[],
  due: RetentionDue[],
  lastRun: { occurredAt: Date; details: RetentionRunResult } | null,
  submitted: Record<string, unknown>,
) {
  const descriptions = new Map(policies.map((policy) => [policy.recordType, policy.description]));
  const periodic = policies.filter((policy) => policy.action !== 'keep');
  return {
    title: 'How long records are kept',
    periodic: periodic.map((policy) => ({
      ...policy,
      actionLabel: ACTION_LABELS[policy.action],
      field: keepMonthsField(policy.recordType),
      value: submitted[keepMonthsField(policy.recordType)] ?? policy.keepMonths,
      hint: `${ACTION_LABELS[policy.action]} ${policy.clock}. Default ${months(policy.defaultKeepMonths!)}; at least ${months(policy.minimumKeepMonths!)}.`,
    })),
    kept: policies.filter((policy) => policy.action === 'keep'),
    nextRunAt: due.length ? londonMoment(new Date(due[0].runsAt)) : null,
    due: due.map((row) => ({
      description: descriptions.get(row.recordType),
      recordType: row.recordType,
      actionLabel: ACTION_LABELS[row.action],
      due: row.due,
      cutoff: londonDay(new Date(row.cutoff)),
    })),
    lastRun: lastRun && {
      at: londonMoment(lastRun.occurredAt),
      rows: lastRun.details.recordTypes.map((row) => ({
        description: descriptions.get(row.recordType) ?? row.recordType,
        actionLabel: ACTION_LABELS[row.action],
        removed: row.removed,
        cutoff: londonDay(new Date(row.cutoff)),
        error: row.error,
      })),
    },
  };
}

/** The service names a period by its place in the list sent (`[2].keepMonths`); the form by its record type. */
export function toRetentionFormFields(recordTypes: string[]) {
  return (errors: FieldErrors): FieldErrors =>
    Object.fromEntries(
      Object.entries(errors).map(([field, messages]) => {
        const index = /^\[(\d+)\]/.exec(field)?.[1];
        const recordType = index === undefined ? undefined : recordTypes[Number(index)];
        return [recordType ? keepMonthsField(recordType) : field, messages];
      }),
    );
}
