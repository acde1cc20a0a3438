// Runs before the first paint: care mode and language from the same key the app writes.
try {
  var p = JSON.parse(localStorage.getItem('cc:prefs') || '{}')
  if (p.care) document.documentElement.classList.add('care')
  if (p.locale === 'en') document.documentElement.lang = 'en'
} catch (e) {
  // Storage blocked: the app applies the defaults once it starts.
}

// The session check starts here rather than once the app's code has arrived: on a slow network that is
// seconds earlier. The app takes this answer for its first "who am I" (api/client.ts), then asks afresh.
try {
  var me = fetch('/api/v1/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  me.catch(function () {}) // offline: the app meets the same failure when it takes the answer
  window.__prefetched = { '/auth/me': me }
} catch (e) {
  // No fetch: the app asks itself.
}
