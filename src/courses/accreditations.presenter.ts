import type { AccreditationView } from 'src/courses/qualifications.service';
import { COURSE_NAMES } from 'src/courses/course-code';

export const ACCREDITATION_STATUS_TAGS: Record<
  AccreditationView['status'],
  { text: string; colour: string }
> = {
  current: { text: 'Current', colour: 'green' },
  expiring: { text: 'Expiring', colour: 'yellow' },
  expired: { text: 'Expired', colour: 'red' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
};

/** "Expires in 10 days", "Expires today", "Expired 3 days ago". */
export function expiryText(daysLeft: number): string {
  if (daysLeft === 0) return 'Expires today';
  if (daysLeft > 0) return `Expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
  return `Expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
}

/** Rows of the lead's page and of a facilitator's own list. */
export function accreditationRowsView(rows: AccreditationView[]) {
  return rows.map((row) => ({
    ...row,
    course: COURSE_NAMES[row.courseCode],
    tag: ACCREDITATION_STATUS_TAGS[row.status],
    expiry: row.status === 'withdrawn' ? `Withdrawn on ${row.withdrawnOn}` : expiryText(row.daysLeft),
    source: row.certificateId ? 'Facilitator certificate' : 'Recorded from before the platform',
    renewable: row.status !== 'withdrawn',
  }));
}
