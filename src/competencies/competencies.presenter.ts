import { DateTime } from 'luxon';
import type { FieldErrors } from 'src/common/field-errors';
import { formList, formText } from 'src/common/form-options';
import type { PageForm } from 'src/common/form-submission';
import type {
  AcceptedEntry,
  EnrolmentCompetenciesView,
  EnrolmentCompetencyView,
  SignOffView,
} from 'src/competencies/competencies.service';
import type { CompetencyState } from 'src/competencies/sign-off-trail';
import { COURSE_NAMES } from 'src/courses/course-code';
import { ENTRY_KIND_RULES } from 'src/logbooks/entry-kinds';

export const STATE_LABELS: Record<CompetencyState, string> = {
  met: 'Met',
  not_yet: 'Not yet met',
  revoked: 'Revoked',
  none: 'Not assessed',
};

export const STATE_TAGS: Record<CompetencyState, string> = {
  met: 'govuk-tag--green',
  not_yet: 'govuk-tag--yellow',
  revoked: 'govuk-tag--red',
  none: 'govuk-tag--grey',
};

/** The fields of the sign-off and revoke forms, in page order. */
export const SIGN_OFF_FIELDS = ['outcome', 'evidenceEntryIds', 'comment'] as const;
export const REVOKE_FIELDS = ['reason'] as const;

/** "Session reflection, 14 Oct 2026": what a link to an entry, or its evidence checkbox, says. */
export function entryLabel(entry: AcceptedEntry): string {
  const date = DateTime.fromISO(entry.occurredOn).toFormat('d LLL yyyy');
  return `${ENTRY_KIND_RULES[entry.kind].label}, ${date}`;
}

/** An element id for an item's form field: codes hold dots, which a fragment link can carry but CSS cannot. */
export const fieldId = (code: string, field: string) => `${code.replace(/[^a-z0-9-]/gi, '-')}-${field}`;

/** Field errors named by the service (`comment`) as the page names them (`helper-quality-respect-comment`). */
export function itemFieldErrors(code: string, fields: readonly string[], errors: FieldErrors): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([field, messages]) => [
      fieldId(code, fields.includes(field) ? field : fields[0]),
      messages,
    ]),
  );
}

/**
 * One item's sign-off or revoke form, for answerForm: it goes back to the item on the grid, with the errors beside
 * the item's own fields and its details opened by the values kept.
 */
export function itemForm(
  enrolmentId: string,
  code: string,
  form: 'sign-off' | 'revoke',
  values: Record<string, unknown>,
): PageForm {
  const fields = form === 'sign-off' ? SIGN_OFF_FIELDS : REVOKE_FIELDS;
  return {
    url: `/enrolments/${enrolmentId}/competencies#${fieldId(code, 'item')}`,
    values: { ...values, form, code },
    fields: fields.map((field) => fieldId(code, field)),
    toFormFields: (errors) => itemFieldErrors(code, fields, errors),
  };
}

export interface GridInput {
  view: EnrolmentCompetenciesView;
  viewerId: string;
  /** The enrolment's accepted logbook entries, offered as evidence to those who sign off. */
  acceptedEntries: AcceptedEntry[];
  /** What a refused form sent, to show again in that form. */
  values: Record<string, unknown>;
  /** The item whose sign-off form is shown open (`?open=` in the address). */
  open: string;
}

/** The competency grid of one trainee: every item by group, its state, evidence, history and forms. */
export function competencyGridView({ view, viewerId, acceptedEntries, values, open }: GridInput) {
  const own = view.traineeId === viewerId;
  const labels = new Map(acceptedEntries.map((entry) => [entry.id, entryLabel(entry)]));
  // Cited entries were accepted, and stay accepted; one not among them was deleted after its retention period.
  const evidence = (ids: string[]) =>
    ids.map((id) => {
      const label = labels.get(id);
      return label
        ? { href: `/logbook/entries/${id}`, text: label }
        : { text: 'A logbook entry no longer held' };
    });
  const record = (signOff: SignOffView, title: string) => ({
    id: signOff.id,
    title,
    outcomeLabel: STATE_LABELS[signOff.outcome],
    outcomeTag: STATE_TAGS[signOff.outcome],
    revocation: signOff.outcome === 'revoked',
    evidence: evidence(signOff.evidenceEntryIds),
    comment: signOff.comment,
    signedBy: signOff.signedBy.name,
    signedAt: signOff.signedAt,
  });
  const refused = formText(values.code);
  const item = (competency: EnrolmentCompetencyView) => {
    const mine = refused === competency.code;
    const signOffValues = mine && values.form === 'sign-off' ? values : {};
    const chosen = new Set(formList(signOffValues.evidenceEntryIds));
    return {
      code: competency.code,
      anchor: fieldId(competency.code, 'item'),
      title: competency.title,
      description: competency.description,
      stateLabel: STATE_LABELS[competency.state],
      stateTag: STATE_TAGS[competency.state],
      current: competency.current && record(competency.current, competency.title),
      history: competency.history.map((signOff) => record(signOff, competency.title)),
      signOff: view.canSignOff && {
        open: open === competency.code || (mine && values.form === 'sign-off'),
        ids: Object.fromEntries(SIGN_OFF_FIELDS.map((field) => [field, fieldId(competency.code, field)])),
        outcomes: (['met', 'not_yet'] as const).map((outcome, index) => ({
          value: outcome,
          text: STATE_LABELS[outcome],
          id:
            index === 0
              ? fieldId(competency.code, 'outcome')
              : fieldId(competency.code, `outcome-${outcome}`),
          checked: signOffValues.outcome === outcome,
        })),
        evidence: acceptedEntries.map((entry, index) => ({
          value: entry.id,
          text: entryLabel(entry),
          id:
            index === 0
              ? fieldId(competency.code, 'evidenceEntryIds')
              : fieldId(competency.code, `evidenceEntryIds-${index + 1}`),
          checked: chosen.has(entry.id),
        })),
        comment: formText(signOffValues.comment),
      },
      revoke: view.canSignOff &&
        competency.current &&
        competency.current.outcome !== 'revoked' && {
          signOffId: competency.current.id,
          open: mine && values.form === 'revoke',
          reasonId: fieldId(competency.code, 'reason'),
          reason: mine && values.form === 'revoke' ? formText(values.reason) : '',
        },
    };
  };
  return {
    heading: own ? 'Your competencies' : `Competencies: ${view.traineeName}`,
    courseName: COURSE_NAMES[view.courseCode],
    cohortTitle: view.cohortTitle,
    backHref: own ? `/my/enrolments/${view.enrolmentId}/progress` : `/cohorts/${view.cohortId}/progress`,
    backText: own ? 'Your progress' : `Progress: ${view.cohortTitle}`,
    enrolmentId: view.enrolmentId,
    met: view.met,
    total: view.total,
    canSignOff: view.canSignOff,
    groups: view.groups.map((group) => ({ name: group.name, competencies: group.competencies.map(item) })),
  };
}
