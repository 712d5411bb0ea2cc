import { HttpStatus } from '@nestjs/common';

/**
 * Every refusal the platform gives, by the feature that gives it. A client (or a page) decides by the code, never
 * by reading the English message.
 */
export type RefusalCode =
  // Any feature
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'SIGN_IN_REQUIRED'
  | 'FORM_EXPIRED'
  // auth
  | 'WRONG_CREDENTIALS'
  | 'SIGN_IN_LOCKED'
  | 'LINK_UNUSABLE'
  // users
  | 'EMAIL_TAKEN'
  | 'ACCOUNT_DISABLED'
  | 'INVITATION_ALREADY_ACCEPTED'
  | 'INVITED_STATUS_FIXED'
  | 'OWN_ACCOUNT_PROTECTED'
  | 'ROLE_NOT_GRANTABLE'
  | 'ORGANISATION_NOT_YOURS'
  | 'ADMIN_ONLY_CHANGE'
  | 'ROLE_MISSING'
  // organisations
  | 'AREA_UNKNOWN'
  | 'AREA_CODE_TAKEN'
  | 'ORGANISATION_NAME_TAKEN'
  | 'PROFESSION_LISTED_TWICE'
  // cohorts
  | 'COHORT_NOT_EDITABLE'
  | 'STATUS_CHANGE_REFUSED'
  | 'SESSIONS_MISSING'
  | 'SESSIONS_NOT_FINISHED'
  | 'SCHEDULE_AMBIGUOUS'
  | 'SESSION_CANCELLED'
  | 'CAPACITY_BELOW_ENROLLED'
  | 'FACILITATORS_NOT_ACCREDITED'
  | 'FACILITATOR_CLASH'
  | 'VENUE_CLASH'
  | 'REGISTER_NOT_OPEN'
  | 'REGISTER_ENTRY_INVALID'
  // enrolments
  | 'ALREADY_ENROLLED'
  | 'PERSON_LISTED_TWICE'
  | 'ENROLMENT_STATUS_CONFLICT'
  | 'COHORT_NOT_TAKING_PLACES'
  | 'PREREQUISITE_NOT_MET'
  // logbooks
  | 'ENTRY_KIND_NOT_FOR_COURSE'
  | 'ENTRY_NOT_EDITABLE'
  | 'ENTRY_NOT_SUBMITTED'
  | 'IDENTIFIERS_FOUND'
  | 'NAMES_TO_CONFIRM'
  | 'SESSION_NOT_ATTENDED'
  | 'SESSION_NOT_FACILITATED'
  | 'SESSION_NOT_EXPECTED'
  // certificates
  | 'NOT_ELIGIBLE'
  | 'CERTIFICATE_EXISTS'
  | 'CERTIFICATE_NOT_READY'
  | 'CERTIFICATE_NOT_REVOCABLE'
  | 'CERTIFICATE_NOT_FAILED'
  // accreditations
  | 'ACCREDITATION_WITHDRAWN'
  | 'RENEWAL_BEFORE_GRANT'
  | 'RENEWAL_NOT_LATER'
  // materials
  | 'MATERIAL_CODE_TAKEN'
  | 'EDITION_LABEL_TAKEN'
  | 'UPLOAD_MISSING'
  | 'UPLOAD_NOT_A_USABLE_PDF'
  // print orders
  | 'COHORT_CANCELLED'
  | 'MATERIAL_UNKNOWN'
  | 'MATERIAL_NOT_FOR_COURSE'
  | 'MATERIAL_HAS_NO_EDITION'
  | 'PRINT_ORDER_STATUS_REFUSED'
  | 'PRINT_ORDER_NOT_DISPATCHED'
  // competencies
  | 'OWN_ENROLMENT_SIGN_OFF'
  | 'ENROLMENT_NOT_ASSESSED'
  | 'EVIDENCE_NOT_ACCEPTED'
  | 'SIGN_OFF_SUPERSEDED'
  | 'SIGN_OFF_ALREADY_REVOKED'
  // privacy
  | 'ACCOUNT_ERASED'
  | 'OWN_ACCOUNT_ERASURE'
  | 'CERTIFICATE_PDF_ERASED'
  // retention
  | 'RECORD_TYPE_UNKNOWN'
  | 'RECORD_TYPE_LISTED_TWICE'
  | 'RECORD_TYPE_KEPT'
  | 'KEEP_MONTHS_OUT_OF_RANGE'
  // notifications
  | 'MAIL_BODY_CLEARED';

/** The one mapping of refusals to HTTP: a new code does not compile until it is given its status here. */
export function refusalStatus(code: RefusalCode): HttpStatus {
  switch (code) {
    case 'NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'FORBIDDEN':
    case 'FORM_EXPIRED':
      return HttpStatus.FORBIDDEN;
    case 'SIGN_IN_REQUIRED':
    case 'WRONG_CREDENTIALS':
      return HttpStatus.UNAUTHORIZED;
    case 'SIGN_IN_LOCKED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'LINK_UNUSABLE':
      return HttpStatus.BAD_REQUEST;
    case 'EMAIL_TAKEN':
    case 'AREA_CODE_TAKEN':
    case 'ORGANISATION_NAME_TAKEN':
    case 'FACILITATOR_CLASH':
    case 'VENUE_CLASH':
    case 'ALREADY_ENROLLED':
    case 'PERSON_LISTED_TWICE':
    case 'ENROLMENT_STATUS_CONFLICT':
    case 'ENTRY_NOT_EDITABLE':
    case 'ENTRY_NOT_SUBMITTED':
    case 'SIGN_OFF_SUPERSEDED':
    case 'SIGN_OFF_ALREADY_REVOKED':
    case 'CERTIFICATE_EXISTS':
    case 'CERTIFICATE_NOT_READY':
    case 'CERTIFICATE_NOT_REVOCABLE':
    case 'CERTIFICATE_NOT_FAILED':
    case 'ACCREDITATION_WITHDRAWN':
    case 'MATERIAL_CODE_TAKEN':
    case 'EDITION_LABEL_TAKEN':
    case 'PRINT_ORDER_STATUS_REFUSED':
    case 'PRINT_ORDER_NOT_DISPATCHED':
    case 'ACCOUNT_ERASED':
    case 'OWN_ACCOUNT_ERASURE':
    case 'MAIL_BODY_CLEARED':
      return HttpStatus.CONFLICT;
    case 'CERTIFICATE_PDF_ERASED':
      return HttpStatus.GONE;
    case 'UPLOAD_MISSING':
      return HttpStatus.BAD_REQUEST;
    case 'ACCOUNT_DISABLED':
    case 'INVITATION_ALREADY_ACCEPTED':
    case 'INVITED_STATUS_FIXED':
    case 'OWN_ACCOUNT_PROTECTED':
    case 'ROLE_NOT_GRANTABLE':
    case 'ORGANISATION_NOT_YOURS':
    case 'ADMIN_ONLY_CHANGE':
    case 'ROLE_MISSING':
    case 'AREA_UNKNOWN':
    case 'PROFESSION_LISTED_TWICE':
    case 'COHORT_NOT_EDITABLE':
    case 'STATUS_CHANGE_REFUSED':
    case 'SESSIONS_MISSING':
    case 'SESSIONS_NOT_FINISHED':
    case 'SCHEDULE_AMBIGUOUS':
    case 'SESSION_CANCELLED':
    case 'CAPACITY_BELOW_ENROLLED':
    case 'FACILITATORS_NOT_ACCREDITED':
    case 'REGISTER_NOT_OPEN':
    case 'REGISTER_ENTRY_INVALID':
    case 'COHORT_NOT_TAKING_PLACES':
    case 'PREREQUISITE_NOT_MET':
    case 'ENTRY_KIND_NOT_FOR_COURSE':
    case 'IDENTIFIERS_FOUND':
    case 'NAMES_TO_CONFIRM':
    case 'SESSION_NOT_ATTENDED':
    case 'SESSION_NOT_FACILITATED':
    case 'SESSION_NOT_EXPECTED':
    case 'NOT_ELIGIBLE':
    case 'OWN_ENROLMENT_SIGN_OFF':
    case 'ENROLMENT_NOT_ASSESSED':
    case 'EVIDENCE_NOT_ACCEPTED':
    case 'RENEWAL_BEFORE_GRANT':
    case 'RENEWAL_NOT_LATER':
    case 'UPLOAD_NOT_A_USABLE_PDF':
    case 'COHORT_CANCELLED':
    case 'MATERIAL_UNKNOWN':
    case 'MATERIAL_NOT_FOR_COURSE':
    case 'MATERIAL_HAS_NO_EDITION':
    case 'RECORD_TYPE_UNKNOWN':
    case 'RECORD_TYPE_LISTED_TWICE':
    case 'RECORD_TYPE_KEPT':
    case 'KEEP_MONTHS_OUT_OF_RANGE':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    default:
      return unmapped(code);
  }
}

function unmapped(code: never): never {
  throw new Error(`Refusal code ${String(code)} has no HTTP status`);
}

export interface RefusalOptions {
  /** The one input the refusal is about, named as the API names it. */
  field?: string;
  /** Structured facts a client can act on (the clash found, the prerequisites unmet). */
  details?: Record<string, unknown>;
}

/** A request the platform will not carry out, with its reason. Anything else thrown is a fault of ours. */
export class Refusal extends Error {
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: RefusalCode,
    message: string,
    options: RefusalOptions = {},
  ) {
    super(message);
    this.field = options.field;
    this.details = options.details;
  }

  get status(): HttpStatus {
    return refusalStatus(this.code);
  }
}

export const refuse = (code: RefusalCode, message: string, options?: RefusalOptions) =>
  new Refusal(code, message, options);
export const notFound = (what: string) => new Refusal('NOT_FOUND', `${what} was not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new Refusal('FORBIDDEN', message);
