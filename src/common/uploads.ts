/** Routes that take a larger file than the app's default upload limit name themselves with @RouteConfig({ upload }). */
export const MATERIAL_EDITION_UPLOAD = 'material-edition';
