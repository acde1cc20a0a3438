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

// The first screen's code and messages, and its data (both listed by the build in meta tags), are asked for
// as soon as the session is known to be open, rather than once the app's code has run and picked the screen:
// on a slow network that is a second earlier. The app then finds them there and asks for none twice.
function screenList(name) {
  var meta = document.querySelector('meta[name="' + name + '"]')
  var found = meta && (' ' + meta.content + ' ').split(' ' + location.pathname + '=')[1]
  return found ? found.split(' ')[0].split(',') : []
}

function preloadFiles() {
  screenList('screen-files').forEach(function (name) {
    if (document.querySelector('link[href$="/' + name + '"]')) return // the app was quicker
    var link = document.createElement('link')
    // A style is only fetched here: the app applies it and waits for it before it shows the screen, which
    // would otherwise show unstyled for a moment and then move.
    var style = /\.css$/.test(name)
    link.rel = style ? 'preload' : 'modulepreload'
    if (style) link.as = 'style'
    link.href = '/assets/' + name
    link.crossOrigin = '' // as the app asks: a preload is only used by a request of the same mode
    document.head.appendChild(link)
  })
}

// The communities as the app picks them (useCommunityId, and the home of loadScreenData): {cid} is the
// person's home's community (verified, else pending, else any), else the first they work for; {home} the
// community of a verified home.
function prefetchData(me) {
  var homes = me.residencies || []
  var pick = function (status) { return homes.filter(function (r) { return r.status === status })[0] }
  var verified = pick('verified')
  var home = verified || pick('pending') || homes[0]
  var cid = (home && home.community_id) || (me.memberships && me.memberships[0] && me.memberships[0].community.id) || 0
  var homeCid = verified ? verified.community_id : 0
  screenList('screen-data').forEach(function (url) {
    if ((url.indexOf('{home}') >= 0 && !homeCid) || (url.indexOf('{cid}') >= 0 && !cid)) return
    url = url.replace('{cid}', cid).replace('{home}', homeCid)
    if (window.__prefetched[url]) return // the app was quicker
    var answer = fetch('/api/v1' + url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    answer.catch(function () {})
    window.__prefetched[url] = answer
    // Not taken (the app went elsewhere): a later ask must not get an old answer.
    setTimeout(function () { if (window.__prefetched[url] === answer) delete window.__prefetched[url] }, 10000)
  })
}

try {
  if (window.__prefetched) {
    window.__prefetched['/auth/me'].then(function (res) {
      if (!res.ok) return
      preloadFiles()
      return res.clone().json().then(prefetchData)
    }).catch(function () {})
  }
} catch (e) {
  // A preload that fails costs nothing: the app asks for what it needs itself.
}
