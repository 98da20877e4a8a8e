/**
 * The pages people open in a browser, beside the API and the Temporal UI, with what each is for:
 * the dev command's ready banner and the demo list them all from here.
 */
export const browserPages = [
  { path: '/desk', name: 'Desk', what: "the handler's desk: the queue, taking contacts, working cases, alerts; sign in there" },
  { path: '/mi', name: 'MI page', what: 'management information; sign in there' },
] as const;

/** The lines listing them, with `width` columns for the name (as the listing around them aligns). */
export const browserPageLines = (apiUrl: string, width: number, suffix = '') => browserPages.map((page) => `  ${`${page.name}${suffix}`.padEnd(width)} ${apiUrl}${page.path}   (${page.what})`);
