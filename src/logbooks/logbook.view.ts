import type { LogbookEntry } from 'src/logbooks/logbook-entry.entity';
import type { LogbookReview } from 'src/logbooks/logbook-review.entity';
import type { LogbookRevision } from 'src/logbooks/logbook-revision.entity';

/** What the trainee wrote: the fields a revision keeps. */
export function entryContent(entry: LogbookEntry) {
  return {
    kind: entry.kind,
    sessionId: entry.sessionId,
    occurredOn: entry.occurredOn,
    minutes: entry.minutes,
    stage: entry.stage,
    skills: entry.skills,
    observed: entry.observed,
    observedBy: entry.observedBy,
    whatHappened: entry.whatHappened,
    reflection: entry.reflection,
    learning: entry.learning,
    nextSteps: entry.nextSteps,
  };
}

export function entryView(entry: LogbookEntry) {
  return {
    id: entry.id,
    enrolmentId: entry.enrolmentId,
    status: entry.status,
    ...entryContent(entry),
    revision: entry.revision,
    submittedAt: entry.submittedAt,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

export const revisionView = (revision: LogbookRevision) => ({
  number: revision.number,
  submittedAt: revision.submittedAt,
  content: revision.content,
});

export const reviewView = (review: LogbookReview) => ({
  revision: review.revision,
  reviewerId: review.reviewerId,
  decision: review.decision,
  feedback: review.feedback,
  at: review.createdAt,
});
