/** The largest file any upload takes unless its route says otherwise (a list of people, a certificate to check). */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

/** Routes that take a larger file than the app's default upload limit name themselves with @RouteConfig({ upload }). */
export const MATERIAL_EDITION_UPLOAD = 'material-edition';
