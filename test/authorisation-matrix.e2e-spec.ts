import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { authorisationWorld, AuthorisationWorld, browserOf, World } from './support/authorisation-world';
import { listRoutes, Route } from './support/routes';
import { TestApp, TestUser } from './support/test-app';

/**
 * Who may use each route of the application, read from its own route table (every JSON API route, page and form;
 * static files are not routes of a controller) and asked of every actor for real against one data set
 * (test/support/authorisation-world.ts): two organisations in two areas, each with a cohort, its facilitator and a
 * trainee who has attended, written a submitted reflection, been signed off and certified, holds and has
 * downloaded a handbook, and has a print order; a commissioner of the first area; the coverage summary refreshed.
 *
 * Columns, the actors:
 *   out  signed out                                 fac  facilitator of the cohort
 *   adm  admin                                      fa2  facilitator of the other organisation's cohort
 *   lea  training lead of the cohort's organisation tra  the trainee enrolled on the cohort
 *   le2  training lead of the other organisation    tr2  the trainee of the other cohort
 *   com  commissioner of the cohort's area
 *
 * Rows: one per route; a route whose parameters name someone's data has two, "own" (the first organisation's:
 * its cohort, the trainee's enrolment, entry, certificate...) and "other" (the same of the other organisation).
 *
 * Outcomes:
 *   ok   2xx, or for a form a redirect (303) to a page of the app that does not show the form's errors
 *   in   sent to sign in: 401 from the API, a redirect to /sign-in from a page
 *   403  refused
 *   404  hidden: where not telling an outsider that the thing exists is the design, or nothing is there
 *   400  the input was refused (400 or 422, or a form sent back with its error summary): the actor PASSED
 *        authorisation, and nothing changed. Bodies are chosen so that this is all that can happen (see BODIES).
 *   409  refused by the state of the thing (a step out of order), after the actor passed authorisation
 */
const ACTORS = ['out', 'adm', 'lea', 'le2', 'fac', 'fa2', 'tra', 'tr2', 'com'] as const;
type Actor = (typeof ACTORS)[number];

const OUTCOMES = ['ok', 'in', '403', '404', '400', '409'] as const;
type Outcome = (typeof OUTCOMES)[number];

const MATRIX = `
#                                                                          | out adm lea le2 fac fa2 tra tr2 com
# Administration.
GET    /api/v1/audit-events                                                | in  ok  403 403 403 403 403 403 403
GET    /admin/audit                                                        | in  ok  403 403 403 403 403 403 403
# Retention periods, the dry run and the page are for administrators only.
GET    /api/v1/retention-policies                                          | in  ok  403 403 403 403 403 403 403
PUT    /api/v1/retention-policies                                          | in  400 403 403 403 403 403 403 403
GET    /api/v1/retention-policies/dry-run                                  | in  ok  403 403 403 403 403 403 403
GET    /admin/retention                                                    | in  ok  403 403 403 403 403 403 403
POST   /admin/retention                                                    | in  400 403 403 403 403 403 403 403
GET    /admin/mail                                                         | in  ok  403 403 403 403 403 403 403
POST   /admin/mail/:id/retry                                               | in  ok  403 403 403 403 403 403 403
POST   /api/v1/users                                                       | in  400 400 400 403 403 403 403 403
GET    /api/v1/users                                                       | in  ok  ok  ok  403 403 403 403 403
# Leads reach the people of their own organisation only; another organisation's are hidden (404).
GET    /api/v1/users/:id                                             own   | in  ok  ok  404 403 403 403 403 403
GET    /api/v1/users/:id                                             other | in  ok  404 ok  403 403 403 403 403
PATCH  /api/v1/users/:id                                             own   | in  ok  ok  404 403 403 403 403 403
PATCH  /api/v1/users/:id                                             other | in  ok  404 ok  403 403 403 403 403
# Anyone's data as a ZIP (subject access) is for administrators only.
GET    /api/v1/users/:id/export                                      own   | in  ok  403 403 403 403 403 403 403
GET    /api/v1/users/:id/export                                      other | in  ok  403 403 403 403 403 403 403
POST   /api/v1/users/:id/invitation                                  own   | in  400 400 404 403 403 403 403 403
POST   /api/v1/users/:id/invitation                                  other | in  400 404 400 403 403 403 403 403
GET    /admin/users                                                        | in  ok  ok  ok  403 403 403 403 403
GET    /admin/users/new                                                    | in  ok  ok  ok  403 403 403 403 403
POST   /admin/users                                                        | in  400 400 400 403 403 403 403 403
GET    /admin/users/:id                                              own   | in  ok  ok  404 403 403 403 403 403
GET    /admin/users/:id                                              other | in  ok  404 ok  403 403 403 403 403
POST   /admin/users/:id                                              own   | in  ok  ok  404 403 403 403 403 403
POST   /admin/users/:id                                              other | in  ok  404 ok  403 403 403 403 403
POST   /admin/users/:id/resend-invitation                            own   | in  400 400 404 403 403 403 403 403
POST   /admin/users/:id/resend-invitation                            other | in  400 404 400 403 403 403 403 403
POST   /api/v1/users/:id/erase                                       own   | in  400 403 403 403 403 403 403 403
POST   /api/v1/users/:id/erase                                       other | in  400 403 403 403 403 403 403 403
GET    /admin/users/:id/erase                                        own   | in  ok  403 403 403 403 403 403 403
GET    /admin/users/:id/erase                                        other | in  ok  403 403 403 403 403 403 403
POST   /admin/users/:id/erase                                        own   | in  400 403 403 403 403 403 403 403
POST   /admin/users/:id/erase                                        other | in  400 403 403 403 403 403 403 403
POST   /api/v1/areas                                                       | in  400 403 403 403 403 403 403 403
GET    /api/v1/areas                                                       | in  ok  ok  ok  403 403 403 403 ok
GET    /api/v1/areas/:id                                             own   | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/areas/:id                                             other | in  ok  ok  ok  403 403 403 403 403
PATCH  /api/v1/areas/:id                                             own   | in  ok  403 403 403 403 403 403 403
PATCH  /api/v1/areas/:id                                             other | in  ok  403 403 403 403 403 403 403
GET    /api/v1/areas/:id/workforce-baselines                         own   | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/areas/:id/workforce-baselines                         other | in  ok  ok  ok  403 403 403 403 403
PUT    /api/v1/areas/:id/workforce-baselines                         own   | in  400 403 403 403 403 403 403 403
PUT    /api/v1/areas/:id/workforce-baselines                         other | in  400 403 403 403 403 403 403 403
POST   /api/v1/organisations                                               | in  400 403 403 403 403 403 403 403
GET    /api/v1/organisations                                               | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/organisations/:id                                     own   | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/organisations/:id                                     other | in  ok  ok  ok  403 403 403 403 403
PATCH  /api/v1/organisations/:id                                     own   | in  ok  403 403 403 403 403 403 403
PATCH  /api/v1/organisations/:id                                     other | in  ok  403 403 403 403 403 403 403
GET    /admin/areas                                                        | in  ok  403 403 403 403 403 403 403
POST   /admin/areas                                                        | in  400 403 403 403 403 403 403 403
GET    /admin/areas/:id                                              own   | in  ok  403 403 403 403 403 403 403
GET    /admin/areas/:id                                              other | in  ok  403 403 403 403 403 403 403
POST   /admin/areas/:id                                              own   | in  ok  403 403 403 403 403 403 403
POST   /admin/areas/:id                                              other | in  ok  403 403 403 403 403 403 403
POST   /admin/areas/:id/workforce-baselines                          own   | in  ok  403 403 403 403 403 403 403
POST   /admin/areas/:id/workforce-baselines                          other | in  ok  403 403 403 403 403 403 403
GET    /admin/organisations                                                | in  ok  403 403 403 403 403 403 403
POST   /admin/organisations                                                | in  400 403 403 403 403 403 403 403
GET    /admin/organisations/:id                                      own   | in  ok  403 403 403 403 403 403 403
GET    /admin/organisations/:id                                      other | in  ok  403 403 403 403 403 403 403
POST   /admin/organisations/:id                                      own   | in  ok  403 403 403 403 403 403 403
POST   /admin/organisations/:id                                      other | in  ok  403 403 403 403 403 403 403
POST   /api/v1/auth/login                                                  | 400 400 400 400 400 400 400 400 400
# Signing out: each actor signs out a session of their own. "in" for a page is its redirect to /sign-in.
POST   /api/v1/auth/logout                                                 | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/me                                                          | in  ok  ok  ok  ok  ok  ok  ok  ok
POST   /api/v1/auth/password-reset                                         | 400 400 400 400 400 400 400 400 400
POST   /api/v1/auth/password-reset/confirm                                 | 400 400 400 400 400 400 400 400 400
POST   /api/v1/auth/accept-invitation                                      | 400 400 400 400 400 400 400 400 400
GET    /api/v1/auth/sign-in-locks                                          | in  ok  403 403 403 403 403 403 403
# The admin passes: there is no lock on that account to lift (404).
DELETE /api/v1/auth/sign-in-locks/:kind/:value                             | in  404 403 403 403 403 403 403 403
GET    /sign-in                                                            | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /sign-in                                                            | in  in  in  in  in  in  in  in  in
POST   /sign-out                                                           | in  in  in  in  in  in  in  in  in
GET    /forgot-password                                                    | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /forgot-password                                                    | 400 400 400 400 400 400 400 400 400
GET    /reset-password                                                     | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /reset-password                                                     | 400 400 400 400 400 400 400 400 400
GET    /accept-invitation                                                  | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /accept-invitation                                                  | 400 400 400 400 400 400 400 400 400
GET    /admin/sign-in-locks                                                | in  ok  403 403 403 403 403 403 403
POST   /admin/sign-in-locks/lift                                           | in  ok  403 403 403 403 403 403 403
# Cohorts: leads manage their organisation's; facilitators and trainees see the ones they are on.
POST   /api/v1/cohorts                                                     | in  400 400 400 403 403 403 403 403
GET    /api/v1/cohorts/open                                                | in  403 403 403 403 403 ok  ok  403
GET    /api/v1/cohorts                                                     | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/cohorts/:id                                           own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/cohorts/:id                                           other | in  ok  403 ok  403 ok  403 ok  403
PATCH  /api/v1/cohorts/:id                                           own   | in  ok  ok  403 403 403 403 403 403
PATCH  /api/v1/cohorts/:id                                           other | in  ok  403 ok  403 403 403 403 403
POST   /api/v1/cohorts/:id/sessions                                  own   | in  400 400 403 403 403 403 403 403
POST   /api/v1/cohorts/:id/sessions                                  other | in  400 403 400 403 403 403 403 403
POST   /api/v1/cohorts/:id/facilitators                              own   | in  400 400 403 403 403 403 403 403
POST   /api/v1/cohorts/:id/facilitators                              other | in  400 403 400 403 403 403 403 403
# Taken away and put back: the facilitator, the place, the session, the cohort (see undo below).
DELETE /api/v1/cohorts/:id/facilitators/:userId                      own   | in  ok  ok  403 403 403 403 403 403
DELETE /api/v1/cohorts/:id/facilitators/:userId                      other | in  ok  403 ok  403 403 403 403 403
POST   /api/v1/cohorts/:id/enrolments                                own   | in  400 400 403 403 403 403 403 403
POST   /api/v1/cohorts/:id/enrolments                                other | in  400 403 400 403 403 403 403 403
POST   /api/v1/cohorts/:id/enrolments/bulk                           own   | in  ok  ok  403 403 403 403 403 403
POST   /api/v1/cohorts/:id/enrolments/bulk                           other | in  ok  403 ok  403 403 403 403 403
GET    /api/v1/cohorts/:id/enrolments                                own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/cohorts/:id/enrolments                                other | in  ok  403 ok  403 ok  403 ok  403
DELETE /api/v1/cohorts/:id/enrolments/:enrolmentId                   own   | in  ok  ok  403 403 403 ok  403 403
DELETE /api/v1/cohorts/:id/enrolments/:enrolmentId                   other | in  ok  403 ok  403 403 403 ok  403
GET    /api/v1/cohorts/:id/progress                                  own   | in  ok  ok  403 ok  403 403 403 403
GET    /api/v1/cohorts/:id/progress                                  other | in  ok  403 ok  403 ok  403 403 403
GET    /api/v1/enrolments/:id/progress                               own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/enrolments/:id/progress                               other | in  ok  403 ok  403 ok  403 ok  403
POST   /api/v1/enrolments/:id/approve                                own   | in  409 409 403 403 403 403 403 403
POST   /api/v1/enrolments/:id/approve                                other | in  409 403 409 403 403 403 403 403
POST   /api/v1/enrolments/:id/decline                                own   | in  409 409 403 403 403 403 403 403
POST   /api/v1/enrolments/:id/decline                                other | in  409 403 409 403 403 403 403 403
PATCH  /api/v1/sessions/:id                                          own   | in  ok  ok  403 403 403 403 403 403
PATCH  /api/v1/sessions/:id                                          other | in  ok  403 ok  403 403 403 403 403
GET    /api/v1/sessions/:id/attendance                               own   | in  ok  ok  403 ok  403 403 403 403
GET    /api/v1/sessions/:id/attendance                               other | in  ok  403 ok  403 ok  403 403 403
PUT    /api/v1/sessions/:id/attendance                               own   | in  400 400 403 400 403 403 403 403
PUT    /api/v1/sessions/:id/attendance                               other | in  400 403 400 403 400 403 403 403
GET    /api/v1/cohorts/:id/calendar.ics                              own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/cohorts/:id/calendar.ics                              other | in  ok  403 ok  403 ok  403 ok  403
GET    /api/v1/me/calendar                                                 | in  ok  ok  ok  ok  ok  ok  ok  ok
POST   /api/v1/me/calendar/reset                                           | in  ok  ok  ok  ok  ok  ok  ok  ok
# Public by design: the secret in the file name is the only credential a calendar app can send.
GET    /calendar/:file                                               own   | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /calendar/:file                                               other | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /my/cohorts                                                         | in  403 403 403 ok  ok  403 403 403
GET    /sessions/:id/register                                        own   | in  ok  ok  403 ok  403 403 403 403
GET    /sessions/:id/register                                        other | in  ok  403 ok  403 ok  403 403 403
POST   /sessions/:id/register                                        own   | in  400 400 403 400 403 403 403 403
POST   /sessions/:id/register                                        other | in  400 403 400 403 400 403 403 403
GET    /cohorts/:id/progress                                         own   | in  ok  ok  403 ok  403 403 403 403
GET    /cohorts/:id/progress                                         other | in  ok  403 ok  403 ok  403 403 403
GET    /my/courses                                                         | in  403 403 403 403 403 ok  ok  403
GET    /find-a-course                                                      | in  403 403 403 403 403 ok  ok  403
POST   /my/cohorts/:id/request                                       own   | in  403 403 403 403 403 400 400 403
POST   /my/cohorts/:id/request                                       other | in  403 403 403 403 403 400 400 403
GET    /my/enrolments/:id/withdraw                                   own   | in  403 403 403 403 403 ok  404 403
GET    /my/enrolments/:id/withdraw                                   other | in  403 403 403 403 403 404 ok  403
POST   /my/enrolments/:id/withdraw                                   own   | in  403 403 403 403 403 ok  403 403
POST   /my/enrolments/:id/withdraw                                   other | in  403 403 403 403 403 403 ok  403
GET    /my/enrolments/:id/progress                                   own   | in  403 403 403 403 403 ok  403 403
GET    /my/enrolments/:id/progress                                   other | in  403 403 403 403 403 403 ok  403
GET    /my/calendar                                                        | in  ok  ok  ok  ok  ok  ok  ok  ok
POST   /my/calendar/reset                                                  | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /cohorts                                                            | in  ok  ok  ok  403 403 403 403 403
GET    /cohorts/new                                                        | in  ok  ok  ok  403 403 403 403 403
POST   /cohorts                                                            | in  400 400 400 403 403 403 403 403
GET    /cohorts/:id                                                  own   | in  ok  ok  403 ok  403 ok  403 403
GET    /cohorts/:id                                                  other | in  ok  403 ok  403 ok  403 ok  403
POST   /cohorts/:id/status                                           own   | in  ok  ok  403 403 403 403 403 403
POST   /cohorts/:id/status                                           other | in  ok  403 ok  403 403 403 403 403
GET    /cohorts/:id/cancel                                           own   | in  ok  ok  403 403 403 403 403 403
GET    /cohorts/:id/cancel                                           other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/cancel                                           own   | in  ok  ok  403 403 403 403 403 403
POST   /cohorts/:id/cancel                                           other | in  ok  403 ok  403 403 403 403 403
GET    /cohorts/:id/edit                                             own   | in  ok  ok  403 403 403 403 403 403
GET    /cohorts/:id/edit                                             other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/edit                                             own   | in  ok  ok  403 403 403 403 403 403
POST   /cohorts/:id/edit                                             other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/enrolments                                       own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/enrolments                                       other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/enrolments/:enrolmentId/withdraw                 own   | in  ok  ok  403 403 403 403 403 403
POST   /cohorts/:id/enrolments/:enrolmentId/withdraw                 other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/enrolments/:enrolmentId/approve                  own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/enrolments/:enrolmentId/approve                  other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/enrolments/:enrolmentId/decline                  own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/enrolments/:enrolmentId/decline                  other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/facilitators                                     own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/facilitators                                     other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/facilitators/:userId/remove                      own   | in  ok  ok  403 403 403 403 403 403
POST   /cohorts/:id/facilitators/:userId/remove                      other | in  ok  403 ok  403 403 403 403 403
GET    /cohorts/:id/enrolments/bulk                                  own   | in  ok  ok  403 403 403 403 403 403
GET    /cohorts/:id/enrolments/bulk                                  other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/enrolments/bulk                                  own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/enrolments/bulk                                  other | in  400 403 400 403 403 403 403 403
GET    /cohorts/:id/sessions/new                                     own   | in  ok  ok  403 403 403 403 403 403
GET    /cohorts/:id/sessions/new                                     other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/sessions                                         own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/sessions                                         other | in  400 403 400 403 403 403 403 403
GET    /sessions/:id/edit                                            own   | in  ok  ok  403 403 403 403 403 403
GET    /sessions/:id/edit                                            other | in  ok  403 ok  403 403 403 403 403
POST   /sessions/:id/edit                                            own   | in  400 400 403 403 403 403 403 403
POST   /sessions/:id/edit                                            other | in  400 403 400 403 403 403 403 403
POST   /sessions/:id/cancel                                          own   | in  ok  ok  403 403 403 403 403 403
POST   /sessions/:id/cancel                                          other | in  ok  403 ok  403 403 403 403 403
GET    /api/v1/courses                                                     | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/courses/:code/versions                                      | in  ok  ok  ok  403 403 403 403 403
POST   /api/v1/courses/:code/versions                                      | in  400 403 403 403 403 403 403 403
# Accreditations and completions of another organisation's people are hidden from a lead (404).
GET    /api/v1/users/:id/accreditations                              own   | in  ok  ok  404 403 403 403 403 403
GET    /api/v1/users/:id/accreditations                              other | in  ok  404 ok  403 403 403 403 403
POST   /api/v1/users/:id/accreditations                              own   | in  ok  403 404 403 403 403 403 403
POST   /api/v1/users/:id/accreditations                              other | in  ok  404 403 403 403 403 403 403
GET    /api/v1/users/:id/completions                                 own   | in  ok  ok  404 403 403 403 403 403
GET    /api/v1/users/:id/completions                                 other | in  ok  404 ok  403 403 403 403 403
POST   /api/v1/users/:id/completions                                 own   | in  ok  403 404 403 403 403 403 403
POST   /api/v1/users/:id/completions                                 other | in  ok  404 403 403 403 403 403 403
GET    /api/v1/accreditations                                              | in  ok  ok  ok  403 403 403 403 403
POST   /api/v1/accreditations/:id/renewals                           own   | in  400 400 404 403 403 403 403 403
POST   /api/v1/accreditations/:id/renewals                           other | in  400 404 400 403 403 403 403 403
GET    /accreditations                                                     | in  ok  ok  ok  403 403 403 403 403
POST   /accreditations/:id/renewals                                  own   | in  400 400 404 403 403 403 403 403
POST   /accreditations/:id/renewals                                  other | in  400 404 400 403 403 403 403 403
# Logbooks: the trainee writes their own; the cohort's facilitators, its leads and admins read and review.
GET    /api/v1/enrolments/:id/logbook                                own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/enrolments/:id/logbook                                other | in  ok  403 ok  403 ok  403 ok  403
POST   /api/v1/enrolments/:id/logbook/entries                        own   | in  403 403 403 403 403 400 403 403
POST   /api/v1/enrolments/:id/logbook/entries                        other | in  403 403 403 403 403 403 400 403
GET    /api/v1/logbook/review-queue                                        | in  ok  ok  ok  ok  ok  403 403 403
GET    /api/v1/logbook/entries/:id                                   own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/logbook/entries/:id                                   other | in  ok  403 ok  403 ok  403 ok  403
PATCH  /api/v1/logbook/entries/:id                                   own   | in  403 403 403 403 403 409 403 403
PATCH  /api/v1/logbook/entries/:id                                   other | in  403 403 403 403 403 403 409 403
POST   /api/v1/logbook/entries/:id/submit                            own   | in  403 403 403 403 403 409 403 403
POST   /api/v1/logbook/entries/:id/submit                            other | in  403 403 403 403 403 403 409 403
POST   /api/v1/logbook/entries/:id/review                            own   | in  400 400 403 400 403 403 403 403
POST   /api/v1/logbook/entries/:id/review                            other | in  400 403 400 403 400 403 403 403
POST   /api/v1/logbook/screen                                              | in  400 400 400 400 400 400 400 400
GET    /enrolments/:id/logbook                                       own   | in  ok  ok  403 ok  403 ok  403 403
GET    /enrolments/:id/logbook                                       other | in  ok  403 ok  403 ok  403 ok  403
GET    /enrolments/:id/logbook/new                                   own   | in  403 403 403 403 403 ok  403 403
GET    /enrolments/:id/logbook/new                                   other | in  403 403 403 403 403 403 ok  403
POST   /enrolments/:id/logbook/entries                               own   | in  403 403 403 403 403 400 403 403
POST   /enrolments/:id/logbook/entries                               other | in  403 403 403 403 403 403 400 403
GET    /logbook/review-queue                                               | in  ok  ok  ok  ok  ok  403 403 403
GET    /logbook/entries/:id                                          own   | in  ok  ok  403 ok  403 ok  403 403
GET    /logbook/entries/:id                                          other | in  ok  403 ok  403 ok  403 ok  403
POST   /logbook/entries/:id                                          own   | in  403 403 403 403 403 400 403 403
POST   /logbook/entries/:id                                          other | in  403 403 403 403 403 403 400 403
POST   /logbook/entries/:id/review                                   own   | in  400 400 403 400 403 403 403 403
POST   /logbook/entries/:id/review                                   other | in  400 403 400 403 400 403 403 403
# Certificates: the cohort's leads and admins issue; the holder reads their own; facilitators neither.
POST   /api/v1/enrolments/:id/certificate                            own   | in  409 409 403 403 403 403 403 403
POST   /api/v1/enrolments/:id/certificate                            other | in  409 403 409 403 403 403 403 403
GET    /api/v1/cohorts/:id/certificates                              own   | in  ok  ok  403 403 403 403 403 403
GET    /api/v1/cohorts/:id/certificates                              other | in  ok  403 ok  403 403 403 403 403
GET    /api/v1/certificates/:id                                      own   | in  ok  ok  403 403 403 ok  403 403
GET    /api/v1/certificates/:id                                      other | in  ok  403 ok  403 403 403 ok  403
GET    /api/v1/me/certificates                                             | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/cohorts/:id/certificates.zip                          own   | in  ok  ok  403 403 403 403 403 403
GET    /api/v1/cohorts/:id/certificates.zip                          other | in  ok  403 ok  403 403 403 403 403
POST   /api/v1/cohorts/:id/certificates                              own   | in  ok  ok  403 403 403 403 403 403
POST   /api/v1/cohorts/:id/certificates                              other | in  ok  403 ok  403 403 403 403 403
GET    /api/v1/certificates/:id/pdf                                  own   | in  ok  ok  403 403 403 ok  403 403
GET    /api/v1/certificates/:id/pdf                                  other | in  ok  403 ok  403 403 403 ok  403
GET    /api/v1/certificates/:id/credential                           own   | in  ok  ok  403 403 403 ok  403 403
GET    /api/v1/certificates/:id/credential                           other | in  ok  403 ok  403 403 403 ok  403
GET    /api/v1/certificates/revocations                                    | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /api/v1/certificates/:id/retry                                own   | in  409 409 403 403 403 403 403 403
POST   /api/v1/certificates/:id/retry                                other | in  409 403 409 403 403 403 403 403
POST   /api/v1/certificates/:id/reissue                              own   | in  409 409 403 403 403 403 403 403
POST   /api/v1/certificates/:id/reissue                              other | in  409 403 409 403 403 403 403 403
POST   /api/v1/certificates/:id/revoke                               own   | in  409 409 403 403 403 403 403 403
POST   /api/v1/certificates/:id/revoke                               other | in  409 403 409 403 403 403 403 403
# Public by design: verification, the keys of the credentials and the list of revocations.
GET    /api/v1/verify/:code                                          own   | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/verify/:code                                          other | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /.well-known/jwks.json                                              | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /verify/:code                                                 own   | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /verify/:code                                                 other | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /verify/:code                                                 own   | ok  ok  ok  ok  ok  ok  ok  ok  ok
POST   /verify/:code                                                 other | ok  ok  ok  ok  ok  ok  ok  ok  ok
GET    /cohorts/:id/certificates                                     own   | in  ok  ok  403 403 403 403 403 403
GET    /cohorts/:id/certificates                                     other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/certificates                                     own   | in  ok  ok  403 403 403 403 403 403
POST   /cohorts/:id/certificates                                     other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId                        own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId                        other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId/retry/:certificateId   own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId/retry/:certificateId   other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId/reissue/:certificateId own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId/reissue/:certificateId other | in  400 403 400 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId/revoke/:certificateId  own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/certificates/:enrolmentId/revoke/:certificateId  other | in  400 403 400 403 403 403 403 403
GET    /my/certificates                                                    | in  403 403 403 ok  ok  ok  ok  403
# Materials: admins keep the catalogue, leads see their organisation's copies, trainees download theirs.
POST   /api/v1/materials                                                   | in  400 403 403 403 403 403 403 403
POST   /api/v1/materials/:id/editions                                      | in  400 403 403 403 403 403 403 403
GET    /api/v1/materials/:id/editions                                      | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/materials                                                   | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/me/materials                                                | in  ok  ok  ok  ok  ok  ok  ok  ok
# Everyone signed in may download what is held about them.
GET    /api/v1/me/export                                                   | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /my/data                                                            | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/materials/:id/issues                                        | in  ok  ok  ok  403 403 403 403 403
GET    /api/v1/materials/copies/:hash                                own   | in  ok  403 403 403 403 403 403 403
GET    /api/v1/materials/copies/:hash                                other | in  ok  403 403 403 403 403 403 403
GET    /api/v1/materials/:id/download                                      | in  403 403 403 403 403 ok  ok  403
GET    /materials                                                          | in  ok  ok  ok  403 403 403 403 403
POST   /materials                                                          | in  400 403 403 403 403 403 403 403
GET    /materials/:id                                                      | in  ok  ok  ok  403 403 403 403 403
POST   /materials/:id/editions                                             | in  400 403 403 403 403 403 403 403
GET    /my/materials                                                       | in  403 403 403 ok  ok  ok  ok  403
POST   /api/v1/cohorts/:id/print-orders                              own   | in  400 400 403 403 403 403 403 403
POST   /api/v1/cohorts/:id/print-orders                              other | in  400 403 400 403 403 403 403 403
GET    /api/v1/cohorts/:id/print-orders                              own   | in  ok  ok  403 403 403 403 403 403
GET    /api/v1/cohorts/:id/print-orders                              other | in  ok  403 ok  403 403 403 403 403
GET    /api/v1/print-orders                                                | in  ok  ok  ok  403 403 403 403 403
PATCH  /api/v1/print-orders/:id                                      own   | in  409 409 403 403 403 403 403 403
PATCH  /api/v1/print-orders/:id                                      other | in  409 403 409 403 403 403 403 403
POST   /api/v1/print-orders/:id/receipt                              own   | in  403 403 403 403 403 409 403 403
POST   /api/v1/print-orders/:id/receipt                              other | in  403 403 403 403 403 403 409 403
GET    /api/v1/me/print-orders                                             | in  403 403 403 403 403 ok  ok  403
GET    /print-orders                                                       | in  ok  ok  ok  403 403 403 403 403
GET    /cohorts/:id/print-orders                                     own   | in  ok  ok  403 403 403 403 403 403
GET    /cohorts/:id/print-orders                                     other | in  ok  403 ok  403 403 403 403 403
POST   /cohorts/:id/print-orders                                     own   | in  400 400 403 403 403 403 403 403
POST   /cohorts/:id/print-orders                                     other | in  400 403 400 403 403 403 403 403
POST   /print-orders/:id                                             own   | in  400 400 403 403 403 403 403 403
POST   /print-orders/:id                                             other | in  400 403 400 403 403 403 403 403
POST   /print-orders/:id/receipt                                     own   | in  403 403 403 403 403 400 403 403
POST   /print-orders/:id/receipt                                     other | in  403 403 403 403 403 403 400 403
GET    /api/v1/reports/licences                                            | in  ok  ok  ok  403 403 403 403 403
GET    /reports/licences                                                   | in  ok  ok  ok  403 403 403 403 403
# Competencies: the cohort's facilitators, its leads and admins sign off.
GET    /api/v1/courses/:code/competencies                                  | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /api/v1/enrolments/:id/competencies                           own   | in  ok  ok  403 ok  403 ok  403 403
GET    /api/v1/enrolments/:id/competencies                           other | in  ok  403 ok  403 ok  403 ok  403
POST   /api/v1/enrolments/:id/competencies/:code/sign-offs           own   | in  400 400 403 400 403 403 403 403
POST   /api/v1/enrolments/:id/competencies/:code/sign-offs           other | in  400 403 400 403 400 403 403 403
POST   /api/v1/competency-sign-offs/:id/revoke                       own   | in  409 409 403 409 403 403 403 403
POST   /api/v1/competency-sign-offs/:id/revoke                       other | in  409 403 409 403 409 403 403 403
GET    /enrolments/:id/competencies                                  own   | in  ok  ok  403 ok  403 ok  403 403
GET    /enrolments/:id/competencies                                  other | in  ok  403 ok  403 ok  403 ok  403
POST   /enrolments/:id/competencies/:code/sign-offs                  own   | in  400 400 403 400 403 403 403 403
POST   /enrolments/:id/competencies/:code/sign-offs                  other | in  400 403 400 403 400 403 403 403
POST   /enrolments/:id/competencies/:code/revoke                     own   | in  400 400 403 400 403 403 403 403
POST   /enrolments/:id/competencies/:code/revoke                     other | in  400 403 400 403 400 403 403 403
# Reports: aggregates for commissioners (their areas) and leads (their organisation's area).
GET    /api/v1/reports/coverage                                            | in  ok  ok  ok  403 403 403 403 ok
GET    /reports/coverage                                                   | in  ok  ok  ok  403 403 403 403 ok
GET    /                                                                   | in  ok  ok  ok  ok  ok  ok  ok  ok
GET    /health                                                             | ok  ok  ok  ok  ok  ok  ok  ok  ok
`;

interface Row {
  method: Route['method'];
  path: string;
  variant: 'own' | 'other' | '-';
  expected: Record<Actor, Outcome>;
}

function parseMatrix(text: string): Row[] {
  return text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [route, outcomes] = line.split('|');
      const [method, path, variant = '-'] = route.trim().split(/\s+/);
      const cells = outcomes.trim().split(/\s+/);
      if (
        cells.length !== ACTORS.length ||
        cells.some((cell) => !(OUTCOMES as readonly string[]).includes(cell))
      )
        throw new Error(`The row "${line}" does not give one known outcome per actor`);
      return {
        method: method as Route['method'],
        path,
        variant: variant as Row['variant'],
        expected: Object.fromEntries(ACTORS.map((actor, i) => [actor, cells[i]])) as Record<Actor, Outcome>,
      };
    });
}

const ROWS = parseMatrix(MATRIX);

const UNKNOWN_ID = '7b0c8a8e-2f7c-4d7e-9d1a-1d2b3c4d5e6f';

/**
 * Every request that changes state is sent with a body that changes nothing. Forms are posted empty (with their
 * CSRF token), and so is most of the API: an actor who passes authorisation then gets 400 from validation.
 *
 * These API routes are not: Nest validates a JSON body before the handler runs, and they leave the actor's scope to
 * the service, so an empty body would get 400 from anyone, in scope or not (a known gap, see the report of the
 * matrix). Each is sent a body that validation accepts and the service refuses only after deciding who may ask: an
 * unknown id, a preview, a date before the grant, a step out of order, a record already superseded. A change that
 * would succeed is run last and undone (see undo).
 */
const BODIES: Record<string, (w: World) => object> = {
  'POST /api/v1/cohorts/:id/facilitators': () => ({ userId: UNKNOWN_ID, role: 'co' }),
  'POST /api/v1/cohorts/:id/enrolments': () => ({ traineeId: UNKNOWN_ID }),
  'POST /api/v1/cohorts/:id/enrolments/bulk': () => ({
    people: [{ email: 'nobody@example.org', name: 'No Body', profession: 'social_worker' }],
    dryRun: true,
  }),
  'PUT /api/v1/sessions/:id/attendance': () => [{ enrolmentId: UNKNOWN_ID, status: 'present' }],
  'POST /api/v1/enrolments/:id/logbook/entries': () => ({
    kind: 'session_reflection',
    sessionId: UNKNOWN_ID,
    occurredOn: '2026-11-01',
  }),
  'POST /api/v1/logbook/entries/:id/review': () => ({ decision: 'returned' }),
  'POST /api/v1/users/:id/accreditations': () => ({
    courseCode: 'foundation',
    grantedOn: '2024-01-01',
    expiresOn: '2027-01-01',
  }),
  'POST /api/v1/users/:id/completions': () => ({ courseCode: 'facilitator', completedOn: '2024-01-01' }),
  'POST /api/v1/accreditations/:id/renewals': () => ({ renewedOn: '2000-01-01', note: 'Matrix' }),
  'POST /api/v1/certificates/:id/revoke': () => ({ reason: 'Matrix' }),
  'POST /api/v1/enrolments/:id/competencies/:code/sign-offs': () => ({
    outcome: 'met',
    evidenceEntryIds: [UNKNOWN_ID],
    comment: 'Matrix',
  }),
  'POST /api/v1/competency-sign-offs/:id/revoke': () => ({ reason: 'Matrix' }),
  'POST /api/v1/cohorts/:id/print-orders': () => ({ materialId: UNKNOWN_ID, copies: 1 }),
  'PATCH /api/v1/print-orders/:id': () => ({ status: 'received' }),
};

/** Requests that end the session they are sent in: each is sent in a session of its own. */
const SIGNS_OUT = new Set(['POST /api/v1/auth/logout', 'POST /sign-out']);

/** Route parameters that name something nobody in particular owns: a route with only these has one row. */
const SHARED_PARAMETERS = new Set([
  'materials/:id',
  'mail/:id',
  'courses/:code',
  'sign-in-locks/:kind',
  ':kind/:value',
]);

/** A route whose parameters name someone's data has an "own" and an "other" row; any other route has one. */
function variantsOf(route: Pick<Route, 'path'>): Array<Row['variant']> {
  const segments = route.path.split('/');
  const owned = segments.some(
    (segment, i) => segment.startsWith(':') && !SHARED_PARAMETERS.has(`${segments[i - 1]}/${segment}`),
  );
  return owned ? ['own', 'other'] : ['-'];
}

const rowName = (row: { method: string; path: string; variant: string }) =>
  `${row.method} ${row.path}${row.variant === '-' ? '' : ` (${row.variant})`}`;

describe('Authorisation matrix', () => {
  let t: TestApp;
  let data: AuthorisationWorld;
  let routes: Route[];
  const browsers = new Map<Actor, { agent: TestAgent; csrf: string }>();
  const observed = new Map<string, Partial<Record<Actor, string>>>();

  const restoreEnrolment = async (w: World) => {
    await t.dataSource.query(
      `UPDATE enrolments SET status = 'enrolled', waitlist_position = NULL, withdrawn_at = NULL WHERE id = $1`,
      [w.enrolmentId],
    );
  };
  const restoreFacilitator = async (w: World) => {
    await t.dataSource.query(
      `INSERT INTO cohort_facilitators (cohort_id, user_id, role) VALUES ($1, $2, 'lead') ON CONFLICT DO NOTHING`,
      [w.cohortId, w.facilitator.id],
    );
  };
  /**
   * Requests that change what other rows rely on when they succeed, though they take no body to leave empty: they
   * run one at a time after all the others, and what each changed is put back before the next.
   */
  const undo: Record<string, (w: World) => Promise<void>> = {
    'DELETE /api/v1/cohorts/:id/enrolments/:enrolmentId': restoreEnrolment,
    'POST /cohorts/:id/enrolments/:enrolmentId/withdraw': restoreEnrolment,
    'POST /my/enrolments/:id/withdraw': restoreEnrolment,
    'DELETE /api/v1/cohorts/:id/facilitators/:userId': restoreFacilitator,
    'POST /cohorts/:id/facilitators/:userId/remove': restoreFacilitator,
    'POST /cohorts/:id/cancel': async (w) => {
      await t.dataSource.query(`UPDATE cohorts SET status = 'draft' WHERE id = $1`, [w.cohortId]);
      await t.dataSource.query(`UPDATE cohort_sessions SET status = 'scheduled' WHERE cohort_id = $1`, [
        w.cohortId,
      ]);
      await t.dataSource.query(
        `UPDATE print_orders SET status = 'requested', cancelled_at = NULL, cancelled_by_id = NULL WHERE cohort_id = $1`,
        [w.cohortId],
      );
    },
    'POST /sessions/:id/cancel': async (w) => {
      await t.dataSource.query(`UPDATE cohort_sessions SET status = 'scheduled' WHERE id = $1`, [
        w.sessionId,
      ]);
    },
    'POST /api/v1/users/:id/accreditations': async (w) => {
      await t.dataSource.query(`DELETE FROM facilitator_accreditations WHERE user_id = $1`, [w.trainee.id]);
    },
    'POST /api/v1/users/:id/completions': async (w) => {
      await t.dataSource.query(`DELETE FROM course_completions WHERE user_id = $1`, [w.trainee.id]);
    },
    // Nothing to put back, but run last: a new subscription address ends the one GET /calendar/:file is sent to.
    'POST /api/v1/me/calendar/reset': async () => {},
    'POST /my/calendar/reset': async () => {},
  };

  function userOf(actor: Actor): TestUser | null {
    const users: Record<Actor, TestUser | null> = {
      out: null,
      adm: data.admin,
      lea: data.own.lead,
      le2: data.other.lead,
      fac: data.own.facilitator,
      fa2: data.other.facilitator,
      tra: data.own.trainee,
      tr2: data.other.trainee,
      com: data.commissioner,
    };
    return users[actor];
  }

  /** The row's path with each parameter filled from the data set: the first organisation's, or the other's. */
  function fill(route: Row): string {
    const w: World = route.variant === 'other' ? data.other : data.own;
    const changesCertificate =
      route.method === 'POST' && /certificates?\/:\w+\/(retry|reissue|revoke)/.test(route.path);
    const values: Record<string, string> = {
      'cohorts/:id': w.cohortId,
      'enrolments/:id': w.enrolmentId,
      'enrolments/:enrolmentId': w.enrolmentId,
      'certificates/:enrolmentId': w.enrolmentId,
      'sessions/:id': w.sessionId,
      'entries/:id': w.entryId,
      'certificates/:id': changesCertificate ? w.supersededCertificateId : w.certificateId,
      'retry/:certificateId': w.supersededCertificateId,
      'reissue/:certificateId': w.supersededCertificateId,
      'revoke/:certificateId': w.supersededCertificateId,
      'users/:id': w.trainee.id,
      'areas/:id': w.areaId,
      'organisations/:id': w.organisationId,
      'print-orders/:id': w.printOrderId,
      'competency-sign-offs/:id': w.supersededSignOffId,
      'competencies/:code': w.competencyCode,
      'accreditations/:id': w.accreditationId,
      'facilitators/:userId': w.facilitator.id,
      'verify/:code': w.verificationCode,
      'calendar/:file': w.calendarFile,
      'copies/:hash': w.copyHash,
      'materials/:id': data.materialId,
      'mail/:id': data.mailId,
      'courses/:code': 'foundation',
      'sign-in-locks/:kind': 'account',
      ':kind/:value': 'nobody%40example.org',
    };
    const segments = route.path.split('/');
    return segments
      .map((segment, i) => {
        if (!segment.startsWith(':')) return segment;
        const value = values[`${segments[i - 1]}/${segment}`];
        if (value === undefined) throw new Error(`No value for ${segment} in ${route.path}`);
        return value;
      })
      .join('/');
  }

  function classify(response: Response): string {
    const { status } = response;
    const location = (response.headers.location as string | undefined) ?? '';
    if (status === 401) return 'in';
    if (status >= 300 && status < 400) {
      if (location.startsWith('/sign-in')) return 'in';
      return location.startsWith('/') ? 'ok' : `${status} to ${location}`;
    }
    if (status >= 200 && status < 300) return 'ok';
    if (status === 400 || status === 422) return '400';
    return String(status);
  }

  async function call(row: Row, actor: Actor): Promise<string> {
    const key = `${row.method} ${row.path}`;
    const w = row.variant === 'other' ? data.other : data.own;
    const { agent, csrf } = SIGNS_OUT.has(key) ? await browserOf(t, userOf(actor)) : browsers.get(actor)!;
    const path = fill(row);
    const method = row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let request = agent[method](path).redirects(0);
    if (row.method !== 'GET') {
      const body = BODIES[key]?.(w) ?? {};
      request = path.startsWith('/api/')
        ? request.send(body)
        : request.type('form').send({ ...body, _csrf: csrf });
    }
    const response = await request;
    await undo[key]?.(w);
    const outcome = classify(response);
    if (row.method === 'GET' || path.startsWith('/api/') || outcome !== 'ok' || response.status < 300)
      return outcome;
    // A refused form goes back to the form in a redirect like any other, and shows its errors there.
    const next = await agent.get(response.headers.location).redirects(0);
    if (next.status !== 200) return `a redirect to a page that answers ${next.status}`;
    return next.text.includes('govuk-error-summary') ? '400' : 'ok';
  }

  async function oneByOne(tasks: Array<() => Promise<void>>): Promise<void> {
    for (const task of tasks) await task();
  }

  beforeAll(async () => {
    // Every actor asks every public and sign-in route within a minute: the rate limits (test/rate-limits) would
    // answer 429 before the matrix learnt who may use them.
    t = await TestApp.start({
      STORAGE_DIR: mkdtempSync(join(tmpdir(), 'fpm-matrix-')),
      RATE_LIMIT_SIGN_IN: '100000',
      RATE_LIMIT_ACCOUNT_LINKS: '100000',
      RATE_LIMIT_ACCOUNT_PAGES: '100000',
      RATE_LIMIT_PUBLIC: '100000',
    });
    data = await authorisationWorld(t);
    for (const actor of ACTORS) browsers.set(actor, await browserOf(t, userOf(actor)));
    routes = listRoutes(t.app);
    const known = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const cells = ROWS.filter((row) => known.has(`${row.method} ${row.path}`)).flatMap((row) =>
      ACTORS.map((actor) => ({ row, actor })),
    );
    const run =
      ({ row, actor }: (typeof cells)[number]) =>
      async () => {
        const outcomes = observed.get(rowName(row)) ?? {};
        observed.set(rowName(row), outcomes);
        outcomes[actor] = await call(row, actor);
      };
    const undone = ({ row }: (typeof cells)[number]) => `${row.method} ${row.path}` in undo;
    const signsOut = ({ row }: (typeof cells)[number]) => SIGNS_OUT.has(`${row.method} ${row.path}`);
    // One request at a time per actor, as a browser sends them: a refused form's errors wait in the session for
    // the page it is sent back to, which another request of the same session would otherwise take.
    await Promise.all(
      ACTORS.map((actor) =>
        oneByOne(cells.filter((cell) => cell.actor === actor && !undone(cell) && !signsOut(cell)).map(run)),
      ),
    );
    await oneByOne(cells.filter(undone).map(run));
    // Signing out ends every session of the person, the actors' own browsers too: it comes last.
    await oneByOne(cells.filter(signsOut).map(run));
    // About 3,000 requests: 45 seconds on a quiet machine, three times that on a busy one.
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('has a row for every route of the application and its data, and a route for every row', () => {
    const rows = new Map<string, string[]>();
    for (const row of ROWS)
      rows.set(`${row.method} ${row.path}`, [...(rows.get(`${row.method} ${row.path}`) ?? []), row.variant]);
    const problems = [
      ...routes
        .filter((route) => !rows.has(`${route.method} ${route.path}`))
        .map((route) => `${route.method} ${route.path} has no row in the matrix`),
      ...routes
        .filter((route) => rows.has(`${route.method} ${route.path}`))
        .filter((route) => rows.get(`${route.method} ${route.path}`)!.join() !== variantsOf(route).join())
        .map((route) => `${route.method} ${route.path} needs the rows ${variantsOf(route).join(' and ')}`),
      ...[...rows.keys()]
        .filter((name) => !routes.some((route) => `${route.method} ${route.path}` === name))
        .map((name) => `${name} is in the matrix but not a route of the application`),
    ];
    expect(problems).toEqual([]);
  });

  it.each(ROWS.map((row) => [rowName(row), row] as const))(
    '%s answers each actor as the matrix says',
    (_, row) => {
      expect(observed.get(rowName(row))).toEqual(row.expected);
    },
  );
});
