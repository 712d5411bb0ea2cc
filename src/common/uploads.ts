import type { FastifyRequest } from 'fastify';

/** The largest file any upload takes unless its route says otherwise (a list of people, a certificate to check). */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

/** Routes that take a larger file than the app's default upload limit name themselves with @RouteConfig({ upload }). */
export const MATERIAL_EDITION_UPLOAD = 'material-edition';

/**
 * What an upload route may say in @RouteConfig: `upload` names a larger limit; `form` is the page whose form posts
 * the file (`/materials/:id`, filled in from the route's parameters). Fastify refuses a file over the limit before
 * the route's handler runs, so it is the exception filter that sends the person back to that form.
 */
export interface UploadRouteConfig {
  upload?: typeof MATERIAL_EDITION_UPLOAD;
  form?: string;
}

/** The page of the form that sent this upload, or null for an upload that is not a page's (the API's). */
export function uploadFormPage(request: FastifyRequest): string | null {
  const { form } = request.routeOptions.config as UploadRouteConfig;
  if (!form) return null;
  const params = request.params as Record<string, string | undefined>;
  return form.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/**
 * The text fields sent before a file that was refused for its size, to show again in the form: @fastify/multipart
 * leaves the fields it had read on the request, each as `{ type: 'field', value }`, when it stops at the file.
 */
export function fieldsBeforeRefusedFile(request: FastifyRequest): Record<string, string> {
  const read = request.body;
  if (typeof read !== 'object' || read === null) return {};
  return Object.fromEntries(
    Object.entries(read as Record<string, unknown>).flatMap(([name, part]) => {
      const field = part as { type?: unknown; value?: unknown } | null;
      return field?.type === 'field' && typeof field.value === 'string' ? [[name, field.value]] : [];
    }),
  );
}
