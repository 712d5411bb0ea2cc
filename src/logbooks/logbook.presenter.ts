import { londonDay, londonMoment } from 'src/common/london-date';
import type { RequirementRow } from 'src/courses/completion-policy';
import type { CourseCode } from 'src/courses/course-code';
import {
  ENTRY_KIND_RULES,
  ENTRY_KINDS,
  EntryKind,
  EntryStatus,
  HELPER_SKILLS,
  HELPING_PROCESS_STAGES,
  labelOf,
  PROMPT_FIELDS,
  PROMPT_MAX_CHARACTERS,
} from 'src/logbooks/entry-kinds';
import type { LogbookEntry } from 'src/logbooks/logbook-entry.entity';
import type { LogbookReview } from 'src/logbooks/logbook-review.entity';
import type { LogbookRevision } from 'src/logbooks/logbook-revision.entity';
import type { Finding } from 'src/logbooks/screener';

/** Labels, tags and view models of the logbook pages: plain functions, unit-testable. */

/** A prompt's answer as stored or typed; anything else is no answer. */
export const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

export const ENTRY_STATUS_LABELS: Record<EntryStatus, string> = {
  draft: 'Draft',
  submitted: 'Waiting for review',
  accepted: 'Accepted',
  returned: 'Returned with feedback',
};

export const ENTRY_STATUS_TAGS: Record<EntryStatus, string> = {
  draft: 'grey',
  submitted: 'blue',
  accepted: 'green',
  returned: 'orange',
};

const FINDING_LABELS: Record<Finding['kind'], string> = {
  nhs_number: 'NHS number',
  email: 'E-mail address',
  phone: 'Phone number',
  postcode: 'Postcode',
  date_of_birth: 'Date of birth',
  address: 'Address',
  name: 'Possible name',
};

/** The logbook page: what the course still needs, each entry, what can be written next, and who has read it. */
export function logbookView(input: {
  courseCode: CourseCode;
  own: boolean;
  entries: LogbookEntry[];
  requirements: RequirementRow[];
  reads: Array<{ name: string; at: Date }>;
}) {
  const kinds = ENTRY_KINDS.filter((kind) => ENTRY_KIND_RULES[kind].courses.includes(input.courseCode));
  return {
    own: input.own,
    requirements: input.requirements.filter((row) => row.key.startsWith('logbook:')),
    writeLinks: input.own ? kinds.map((kind) => ({ kind, text: ENTRY_KIND_RULES[kind].label })) : [],
    groups: kinds
      .map((kind) => ({
        label: `${ENTRY_KIND_RULES[kind].label}s`,
        entries: input.entries
          .filter((entry) => entry.kind === kind)
          .map((entry) => ({
            id: entry.id,
            occurredOn: londonDay(entry.occurredOn),
            summary: excerpt(entry.whatHappened),
            statusLabel: ENTRY_STATUS_LABELS[entry.status],
            statusTag: ENTRY_STATUS_TAGS[entry.status],
          })),
      }))
      .filter((group) => group.entries.length > 0),
    reads: input.reads.map((read) => ({ name: read.name, at: londonMoment(read.at) })),
  };
}

/** The entry form's fields for a kind: the prompts with their guidance and limit, and what the kind is tied to. */
export function entryFormView(input: {
  kind: EntryKind;
  values: Record<string, unknown>;
  sessions: Array<{ id: string; text: string }>;
  findings: Array<Finding & { field?: string }>;
}) {
  const rules = ENTRY_KIND_RULES[input.kind];
  const { values } = input;
  const skills = new Set(([] as unknown[]).concat(values.skills ?? []).map(String));
  return {
    kind: input.kind,
    kindLabel: rules.label,
    needsSession: Boolean(rules.attendedSession || rules.coFacilitatedSession),
    sessionLabel: rules.coFacilitatedSession ? 'The Foundation session you co-facilitated' : 'The session',
    sessionOptions: input.sessions.map((session) => ({
      value: session.id,
      text: session.text,
      selected: session.id === values.sessionId,
    })),
    practice: Boolean(rules.practice),
    coFacilitation: Boolean(rules.coFacilitatedSession),
    stageOptions: HELPING_PROCESS_STAGES.map((stage) => ({
      value: stage,
      text: labelOf(stage),
      selected: stage === values.stage,
    })),
    skillOptions: HELPER_SKILLS.map((skill) => ({
      value: skill,
      text: labelOf(skill),
      checked: skills.has(skill),
    })),
    observedYes: values.observed === true || values.observed === 'true',
    observedNo: values.observed === false || values.observed === 'false',
    maxCharacters: PROMPT_MAX_CHARACTERS,
    prompts: rules.prompts.map((prompt) => ({
      ...prompt,
      value: textOf(values[prompt.field]),
      findings: input.findings
        .filter((finding) => finding.field === prompt.field)
        .map((finding) => findingView(textOf(values[prompt.field]), finding)),
    })),
    hasWarnings: input.findings.some((finding) => finding.severity === 'warning'),
  };
}

/** A finding shown where it is: the words around it, the text itself marked, and how to write it instead. */
export function findingView(text: string, finding: Finding) {
  const before = text.slice(Math.max(0, finding.start - 40), finding.start);
  const after = text.slice(finding.end, finding.end + 40);
  return {
    label: FINDING_LABELS[finding.kind],
    refusal: finding.severity === 'refusal',
    before: (finding.start > 40 ? '…' : '') + before,
    text: finding.text,
    after: after + (finding.end + 40 < text.length ? '…' : ''),
    advice: finding.advice,
  };
}

/** The fields a trainee changed between the revision a reviewer returned and the one they sent back. */
export function changesSince(earlier: LogbookRevision | undefined, later: LogbookRevision | undefined) {
  if (!earlier || !later) return [];
  return PROMPT_FIELDS.filter((field) => earlier.content[field] !== later.content[field]).map((field) => ({
    label:
      ENTRY_KIND_RULES[later.content.kind as EntryKind].prompts.find((p) => p.field === field)?.label ??
      field,
    before: textOf(earlier.content[field]),
    after: textOf(later.content[field]),
  }));
}

/** The history of an entry: each submitted revision with the decision on it, newest first. */
export function historyView(
  revisions: LogbookRevision[],
  reviews: Array<LogbookReview & { reviewerName: string }>,
) {
  return [...revisions].reverse().map((revision) => {
    const review = reviews.find((candidate) => candidate.revision === revision.number);
    return {
      number: revision.number,
      submittedAt: londonMoment(revision.submittedAt),
      prompts: ENTRY_KIND_RULES[revision.content.kind as EntryKind].prompts.map((prompt) => ({
        label: prompt.label,
        text: textOf(revision.content[prompt.field]),
      })),
      decision: review && {
        accepted: review.decision === 'accepted',
        by: review.reviewerName,
        at: londonMoment(review.createdAt),
        feedback: review.feedback,
      },
    };
  });
}

const excerpt = (text: string) =>
  (text.length > 90 ? `${text.slice(0, 90).trimEnd()}…` : text) || '(not written yet)';
