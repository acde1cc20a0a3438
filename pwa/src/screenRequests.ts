// The first requests of the screens people open most, as the screens themselves make them (same paths, same
// query). `{cid}` is the community the person belongs to (their home's, else the one they work for); `{home}` the
// community of their verified home — a request naming it is left out for someone without one. boot.js reads
// this table from a meta tag (the build writes it) and asks as soon as the session is known; the router asks
// for whatever it did not (src/composables/screenData.ts).
export const SCREEN_REQUESTS: Record<string, readonly string[]> = {
  '/': [
    '/communities/{home}/notices?limit=20',
    '/communities/{home}/contacts/my-grid-workers',
    '/communities/{cid}/points/partner/me',
  ],
  '/notices': ['/communities/{cid}/notices'],
  '/guide': ['/communities/{cid}/guide/categories'],
}

/** The screen's requests for these communities; a request naming a community that is 0 is left out. */
export function screenRequests(path: string, cid: number, home: number): string[] {
  return (SCREEN_REQUESTS[path] ?? [])
    .filter((url) => !(url.includes('{home}') && !home) && !(url.includes('{cid}') && !cid))
    .map((url) => url.replace('{cid}', String(cid)).replace('{home}', String(home)))
}
